using System.Globalization;
using ApprovalSystem.Core.Calendar;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Admin;

/// <summary>
/// The working-day calendar: administrators add and remove holidays and make-up working days, and
/// import a new year's arrangement (from the State Council notice) as lines of text.
/// </summary>
public static class CalendarAdmin
{
    public sealed record ImportResult(IReadOnlyList<string> Errors, int Imported);

    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, Infrastructure.WorkingTimeProvider workingTime)
    {
        public async Task<List<CalendarDay>> YearAsync(int year, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var from = new DateOnly(year, 1, 1);
            var to = new DateOnly(year, 12, 31);
            return await db.CalendarDays.AsNoTracking().Where(d => d.Date >= from && d.Date <= to).OrderBy(d => d.Date).ToListAsync(ct);
        }

        public async Task<List<int>> YearsAsync(CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var dates = await db.CalendarDays.AsNoTracking().Select(d => d.Date).ToListAsync(ct);
            return dates.Select(d => d.Year).Distinct().OrderBy(y => y).ToList();
        }

        public async Task<WorkingCalendar> CalendarAsync(CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return new WorkingCalendar(await db.CalendarDays.AsNoTracking().ToListAsync(ct));
        }

        /// <summary>Adds or changes one day; returns a message when it makes no sense.</summary>
        public async Task<string?> SetDayAsync(DateOnly date, CalendarDayKind kind, string name, CancellationToken ct = default)
        {
            if (Check(date, kind) is { } problem)
            {
                return problem;
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                return "请填写名称，如“春节”或“春节调休上班”";
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var day = await db.CalendarDays.FirstOrDefaultAsync(d => d.Date == date, ct);
            if (day is null)
            {
                day = new CalendarDay { Date = date };
                db.CalendarDays.Add(day);
            }

            day.Kind = kind;
            day.Name = name.Trim();
            await db.SaveChangesAsync(ct);
            workingTime.Invalidate();
            return null;
        }

        public async Task RemoveDayAsync(DateOnly date, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await db.CalendarDays.Where(d => d.Date == date).ExecuteDeleteAsync(ct);
            workingTime.Invalidate();
        }

        /// <summary>
        /// Imports a year: one day per line, "2027-01-01 休 元旦" (休 = holiday, 班 = make-up working day).
        /// The year's existing rows are replaced only if every line is valid.
        /// </summary>
        public async Task<ImportResult> ImportYearAsync(int year, string text, CancellationToken ct = default)
        {
            var errors = new List<string>();
            var days = new Dictionary<DateOnly, CalendarDay>();
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                var parts = line.Split([' ', '\t', ',', '，'], 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (parts.Length < 3)
                {
                    errors.Add($"第{i + 1}行：应为“日期 休/班 名称”，如“{year}-01-01 休 元旦”");
                    continue;
                }

                if (!DateOnly.TryParseExact(parts[0], ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    errors.Add($"第{i + 1}行：“{parts[0]}”不是有效日期（格式 {year}-01-01）");
                    continue;
                }

                if (date.Year != year)
                {
                    errors.Add($"第{i + 1}行：{date:yyyy-MM-dd} 不在{year}年");
                    continue;
                }

                CalendarDayKind? kind = parts[1] switch
                {
                    "休" or "假" or "holiday" => CalendarDayKind.Holiday,
                    "班" or "workday" => CalendarDayKind.MakeUpWorkday,
                    _ => null,
                };
                if (kind is null)
                {
                    errors.Add($"第{i + 1}行：类型“{parts[1]}”应为“休”（节假日）或“班”（调休上班日）");
                    continue;
                }

                if (Check(date, kind.Value) is { } problem)
                {
                    errors.Add($"第{i + 1}行：{problem}");
                    continue;
                }

                if (!days.TryAdd(date, new CalendarDay { Date = date, Kind = kind.Value, Name = parts[2] }))
                {
                    errors.Add($"第{i + 1}行：{date:yyyy-MM-dd} 重复");
                }
            }

            if (days.Count == 0 && errors.Count == 0)
            {
                errors.Add("没有可导入的日期");
            }

            if (errors.Count > 0)
            {
                return new ImportResult(errors, 0);
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var from = new DateOnly(year, 1, 1);
            var to = new DateOnly(year, 12, 31);
            await db.CalendarDays.Where(d => d.Date >= from && d.Date <= to).ExecuteDeleteAsync(ct);
            db.CalendarDays.AddRange(days.Values);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            workingTime.Invalidate();
            return new ImportResult([], days.Count);
        }

        private static string? Check(DateOnly date, CalendarDayKind kind)
        {
            var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            return kind switch
            {
                CalendarDayKind.MakeUpWorkday when !weekend => $"{date:yyyy-MM-dd} 是工作日，不需要设为调休上班日",
                CalendarDayKind.Holiday when weekend => null, // weekend days inside a holiday block are listed for completeness
                _ => null,
            };
        }
    }
}
