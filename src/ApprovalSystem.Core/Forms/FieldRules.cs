using System.Globalization;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Forms;

/// <summary>
/// The one place a field's value is checked, whoever asks: the applicant's form 申请表 when a case is filed or a draft
/// saved, and a step's section 环节数据 when a department acts. A value is text; its <see cref="FieldKind"/> says
/// what form it must have (a number, a yyyy-MM-dd date, one of the options, a valid ID number …) and a text field is
/// at most its declared length (200 for text and 2,000 for textarea when it declares none).
/// </summary>
public static class FieldRules
{
    public const int TextLimit = 200;

    public const int TextareaLimit = 2000;

    /// <summary>The only date format a field takes: what a date input sends, and unambiguous in a paper form.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>The longest text a field of <paramref name="type"/> takes when it declares <paramref name="declared"/> (null: the default).</summary>
    public static int MaxLength(FieldKind type, int? declared) => declared ?? (type == FieldKind.Textarea ? TextareaLimit : TextLimit);

    /// <summary>
    /// What is wrong with <paramref name="value"/> (trimmed, not empty) for a field, in Chinese for the person who typed
    /// it, or null when it is right.
    /// </summary>
    /// <param name="today">The app clock's local date: an ID number's birth date may not lie after it.</param>
    public static string? Problem(string label, FieldKind type, string value, IReadOnlyCollection<string>? options, int? maxLength, DateOnly today) =>
        type switch
        {
            FieldKind.Number => decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _)
                ? null
                : $"“{label}”应为数字（如 1250.5），不能是“{value}”",
            FieldKind.Date => DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? null
                : $"“{label}”应为日期，格式 yyyy-MM-dd（如 2026-12-03），不能是“{value}”",
            FieldKind.Select => options?.Contains(value) == true ? null : $"“{label}”应从“{string.Join("、", options ?? [])}”中选择，不能是“{value}”",
            FieldKind.Phone => value.Length is >= 7 and <= 20 && value.All(ch => char.IsAsciiDigit(ch) || ch == '-')
                ? null
                : $"“{label}”不是有效的电话号码（7–20位数字，可含“-”）",
            FieldKind.IdCard => ResidentIdNumber.Validate(value, today) is { } m ? $"“{label}”：{m}" : null,
            FieldKind.CreditCode => CreditCode.Validate(value) is { } m ? $"“{label}”：{m}" : null,
            _ => value.Length > MaxLength(type, maxLength) ? $"“{label}”过长（{value.Length}字，最多{MaxLength(type, maxLength)}字）" : null,
        };
}
