namespace ApprovalSystem.Web.Documents;

/// <summary>
/// Line breaking for Chinese text, which has no spaces: break between any two characters when the
/// next one would not fit, never inside a surrogate pair, and keep closing punctuation off the
/// start of a line (it moves up with the character before it).
/// </summary>
public static class CjkLayout
{
    private const string NoLineStart = "，。、；：！？）》」』】〕…—,.;:!?)]}%";

    /// <remarks>Widths are summed per character (Chinese text has no kerning), so a line costs one measurement per character.</remarks>
    public static List<string> Wrap(string text, double width, Func<string, double> measure)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var elements = System.Globalization.StringInfo.GetTextElementEnumerator(paragraph);
            var line = new System.Text.StringBuilder();
            var lineWidth = 0.0;
            string? last = null;
            while (elements.MoveNext())
            {
                var element = (string)elements.Current;
                var elementWidth = measure(element);
                if (line.Length > 0 && lineWidth + elementWidth > width)
                {
                    if (NoLineStart.Contains(element, StringComparison.Ordinal) && last is not null && line.Length > last.Length)
                    {
                        // Carry the last character down with the punctuation instead of starting a line with it.
                        line.Length -= last.Length;
                        lines.Add(line.ToString());
                        line.Clear().Append(last);
                        lineWidth = measure(last);
                    }
                    else
                    {
                        lines.Add(line.ToString());
                        line.Clear();
                        lineWidth = 0;
                    }
                }

                line.Append(element);
                lineWidth += elementWidth;
                last = element;
            }

            lines.Add(line.ToString());
        }

        return lines;
    }
}
