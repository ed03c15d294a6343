using System.Diagnostics;
using System.Globalization;

namespace ApprovalSystem.Benchmarks;

/// <summary>
/// Times single operations of the approval shape (per call, after warm-up) so a slow pair can be
/// taken apart: <c>dotnet run -c Release --project tests/ApprovalSystem.Benchmarks -- approval --probe</c>.
/// </summary>
public static class ApprovalProbe
{
    public static async Task TimeAsync(string name, int count, Func<int, Task> operation)
    {
        for (var i = 0; i < Math.Min(200, count); i++)
        {
            await operation(i);
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await operation(i);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-48} {watch.Elapsed.TotalMilliseconds / count,8:0.000} ms"));
    }
}
