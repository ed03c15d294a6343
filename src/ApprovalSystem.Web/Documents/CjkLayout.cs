namespace ApprovalSystem.Web.Documents;

/// <summary>
/// Line breaking for Chinese text, which has no spaces: break between any two characters when the
/// next one would not fit, never inside a surrogate pair, and keep closing punctuation off the
/// start of a line (it moves up with the character before it).
/// </summary>
public static class CjkLayout
{
    private const string NoLineStart = "，。、；：！？）》」』】〕…—,.;:!?)]}%";

    public static List<string> Wrap(string text, double width, Func<string, double> measure)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var elements = System.Globalization.StringInfo.GetTextElementEnumerator(paragraph);
            var line = new System.Text.StringBuilder();
            while (elements.MoveNext())
            {
                var element = (string)elements.Current;
                if (line.Length > 0 && measure(line + element) > width)
                {
                    if (NoLineStart.Contains(element, StringComparison.Ordinal))
                    {
                        // Carry the last character down with the punctuation instead of starting a line with it.
                        var lastLength = char.IsLowSurrogate(line[^1]) ? 2 : 1;
                        var carried = line.ToString(line.Length - lastLength, lastLength);
                        line.Length -= lastLength;
                        lines.Add(line.ToString());
                        line.Clear().Append(carried);
                    }
                    else
                    {
                        lines.Add(line.ToString());
                        line.Clear();
                    }
                }

                line.Append(element);
            }

            lines.Add(line.ToString());
        }

        return lines;
    }
}
