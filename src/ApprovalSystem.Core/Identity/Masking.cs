namespace ApprovalSystem.Core.Identity;

/// <summary>Personal data is shown masked wherever the full value is not needed (DOMAIN.md).</summary>
public static class Masking
{
    /// <summary>3301**********1234: keeps the first and last four characters.</summary>
    public static string IdNumber(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        return value.Length <= 8 ? new string('*', value.Length) : string.Concat(value.AsSpan(0, 4), new string('*', value.Length - 8), value.AsSpan(value.Length - 4));
    }

    /// <summary>138****5678.</summary>
    public static string Mobile(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        return value.Length < 8 ? new string('*', value.Length) : string.Concat(value.AsSpan(0, 3), new string('*', value.Length - 7), value.AsSpan(value.Length - 4));
    }

    /// <summary>张*明 / 李*: keeps the first character (and the last one for three or more).</summary>
    public static string PersonName(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        return value.Length switch
        {
            1 => value,
            2 => string.Concat(value.AsSpan(0, 1), "*"),
            _ => string.Concat(value.AsSpan(0, 1), new string('*', value.Length - 2), value.AsSpan(value.Length - 1)),
        };
    }
}
