using FluentValidation;
using FluentValidation.Results;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// The rules every text, list and date that comes from outside follows, so a value the database or the domain cannot hold is
/// refused by its validator (422, naming the field) rather than failing deep inside (500): text fits its column and holds no
/// control characters (PostgreSQL refuses NUL; none belongs in a name or an opinion), lists hold no null or blank entries and
/// are bounded, dates lie in the window the system can reckon with.
/// </summary>
public static class InputRules
{
    /// <summary>The earliest date a reported event may carry: nothing in this system happened before 2000 (China time).</summary>
    public static readonly DateTimeOffset EarliestEvent = new(2000, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>How far ahead of the server's clock a reported event may be dated (the sender's clock may run a little fast).</summary>
    public static readonly TimeSpan FutureAllowance = TimeSpan.FromDays(1);

    /// <summary>At most <paramref name="max"/> characters and no control characters other than tab and line breaks (null passes).</summary>
    public static IRuleBuilderOptions<T, string?> Text<T>(this IRuleBuilder<T, string?> rule, int max, string label) =>
        rule.MaximumLength(max).WithMessage($"{label}不能超过{max}个字").Must(NoControlCharacters).WithMessage($"{label}含有不可见的控制字符，请删除后重试");

    /// <summary>Each entry present, not blank, and within <paramref name="max"/> characters; at most <paramref name="count"/> entries.</summary>
    public static void Entries<T>(this AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, IEnumerable<string>?>> list, int count,
        int max, string label)
    {
        validator.RuleFor(list).Must(l => l is null || l.Count() <= count).WithMessage($"{label}最多{count}项");
        validator.RuleForEach(list).NotEmpty().WithMessage($"{label}不能有空项").Must(v => v is null || v.Length <= max)
            .WithMessage($"{label}每项不能超过{max}个字").Must(NoControlCharacters).WithMessage($"{label}含有不可见的控制字符，请删除后重试");
    }

    /// <summary>A reported event's time: not before 2000-01-01 (China time), not more than a day ahead of now.</summary>
    public static IRuleBuilderOptions<T, DateTimeOffset?> EventTime<T>(this IRuleBuilder<T, DateTimeOffset?> rule, TimeProvider clock, string label) =>
        rule.Must(t => t is null || (t >= EarliestEvent && t <= clock.GetUtcNow() + FutureAllowance))
            .WithMessage($"{label}应在2000-01-01至当前时间后一天之间");

    public static bool NoControlCharacters(string? value) =>
        value is null || !value.Any(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n'));

    /// <summary>A refusal of one field's value found outside a validator (e.g. while mapping a request onto a command): a 422 like theirs.</summary>
    public static ValidationException Invalid(string field, string message) => new(message, [new ValidationFailure(field, message)]);
}
