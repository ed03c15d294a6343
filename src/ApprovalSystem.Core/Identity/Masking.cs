using System.Globalization;
using System.Text;

namespace ApprovalSystem.Core.Identity;

/// <summary>
/// Personal data is shown masked wherever the full value is not needed (DOMAIN.md). Masking counts text
/// elements (what a reader sees as one character), never UTF-16 units: 𠈌 is two units and one character,
/// so cutting it in half would print a broken surrogate (U+FFFD) instead of a star.
/// </summary>
public static class Masking
{
    /// <summary>3301**********1234: keeps the first and last four characters.</summary>
    public static string IdNumber(string? value) => Keep(value, 4, 4, 8);

    /// <summary>138****5678.</summary>
    public static string Mobile(string? value) => Keep(value, 3, 4, 7);

    /// <summary>
    /// 张*明 / 李* / 王*: keeps the first character (and the last one for three or more); the middle dot of a
    /// minority name stays, so 阿不都·热合曼 reads 阿**·**曼.
    /// </summary>
    public static string PersonName(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var characters = Elements(value);
        if (characters.Count == 1)
        {
            return value;
        }

        var masked = new StringBuilder(value.Length).Append(characters[0]);
        for (var i = 1; i < characters.Count; i++)
        {
            var last = i == characters.Count - 1;
            masked.Append(characters[i] is "·" or "•" or "・" || (last && characters.Count > 2) ? characters[i] : "*");
        }

        return masked.ToString();
    }

    /// <summary>Keeps <paramref name="head"/> and <paramref name="tail"/> characters of a value longer than <paramref name="shortest"/>; stars the
    /// rest.</summary>
    private static string Keep(string? value, int head, int tail, int shortest)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var characters = Elements(value);
        if (characters.Count <= shortest)
        {
            return new string('*', characters.Count);
        }

        return string.Concat(string.Concat(characters.Take(head)), new string('*', characters.Count - head - tail),
            string.Concat(characters.Skip(characters.Count - tail)));
    }

    /// <summary>The value's text elements (grapheme clusters).</summary>
    private static List<string> Elements(string value)
    {
        var list = new List<string>(value.Length);
        var e = StringInfo.GetTextElementEnumerator(value);
        while (e.MoveNext())
        {
            list.Add(e.GetTextElement());
        }

        return list;
    }
}
