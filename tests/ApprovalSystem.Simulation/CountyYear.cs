using System.Diagnostics;
using System.Globalization;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Acceptance;
using ApprovalSystem.Web.Features.Cases.Conclusion;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Features.Cases.Handling;
using ApprovalSystem.Web.Features.Certificates;
using ApprovalSystem.Web.Features.Exchange.Inbound;
using ApprovalSystem.Web.Features.Exchange.Resources;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Features.Portal;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ApprovalSystem.Web.Features.Supervision.Performance;

namespace ApprovalSystem.Simulation;

/// <summary>What to play: the seed decides everything else.</summary>
public sealed record SimulationOptions
{
    public int Seed { get; init; } = 1;

    /// <summary>Filings over the year (line-system cases come on top).</summary>
    public int Cases { get; init; } = 2_000;

    public string Provider { get; init; } = "Sqlite";

    public string? PostgresConnection { get; init; }

    /// <summary>The share of stored documents whose text is checked with pdftotext (1 = every document).</summary>
    public double DocumentCheckShare { get; init; } = 0.05;

    /// <summary>
    /// Whether every document that prints a name with a rare character is checked, on top of the share. The documents' words and
    /// fonts do not depend on the database, so CI's PostgreSQL year checks the share only and its SQLite year checks them all.
    /// </summary>
    public bool CheckEveryRareName { get; init; } = true;

    /// <summary>The share of acceptances and certificate checks that go through HTTP instead of the handlers.</summary>
    public double HttpShare { get; init; } = 0.03;

    public DateOnly From { get; init; } = new(2026, 1, 1);

    public DateOnly To { get; init; } = new(2026, 12, 31);

    [System.Text.Json.Serialization.JsonIgnore]
    public TextWriter? Log { get; init; }

    /// <summary>Keep the data folder and database after the run (to study what the year left); the path is printed.</summary>
    public bool Keep { get; init; }

    /// <summary>
    /// The run's data folder (by default a new one under the temp folder). A run with one pauses when a file named
    /// <see cref="CountyYear.PauseFile"/> appears there, and <see cref="Resume"/> plays a paused run on.
    /// </summary>
    public string? StateFolder { get; init; }

    /// <summary>Play on the paused year in <see cref="StateFolder"/> (its checkpoint names the seed, the size and the database).</summary>
    public bool Resume { get; init; }

    /// <summary>Pause after this day's evening (the tests' way to pause at a known day).</summary>
    public DateOnly? PauseAfter { get; init; }
}

/// <summary>An invariant broke or an act failed unexpectedly: the message names the seed, the simulated day and the act.</summary>
public sealed class SimulationFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A county's year played through the application's real handlers and stores (the code the pages and the API
/// call), with the clock moved by a fake time provider day by day across 2026. Everything random comes from one
/// seeded <see cref="Random"/> consumed in a fixed order, so a seed replays exactly.
/// </summary>
public sealed partial class CountyYear : IAsyncDisposable
{
    private readonly SimulationOptions _options;
    private readonly Random _random;
    private readonly SimulationHost _host;
    private readonly SimulationReport _report = new();
    private readonly Dictionary<long, SimCase> _cases = [];
    private readonly List<ExternalCase> _external = [];
    private Staff _staff = null!;
    private List<Matter> _matters = [];
    private List<Matter> _firstRound = [];
    private string _day = "";
    private string _act = "";
    private long _databaseBytesAtStart;
    private readonly Checkpoint? _resume;
    private int _segments = 1;
    private bool _paused;
    private bool _finished;

    public CountyYear(SimulationOptions options)
    {
        if (options.Resume)
        {
            _resume = ReadCheckpoint(options.StateFolder ?? throw new ArgumentException("resuming needs the state folder"));
            options = _resume.Options with
            {
                StateFolder = options.StateFolder, PostgresConnection = options.PostgresConnection, Log = options.Log,
                Keep = options.Keep, PauseAfter = options.PauseAfter, Resume = true,
            };
        }

        else if (options.StateFolder is { } folder && Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            // The folder is the run's own (deleted at the end unless kept): never one that holds anything else.
            throw new ArgumentException($"the state folder {folder} is not empty (to play on a paused year, use --resume)");
        }

        _options = options;
        _random = new Random(options.Seed);
        _host = new SimulationHost(
            options.Provider, options.PostgresConnection, Local(_resume?.NextDay ?? options.From, 8), options.StateFolder, _resume?.DatabaseName);
    }

    public SimulationReport Report => _report;

    private DateTimeOffset Now => _host.Clock.GetUtcNow();

    public static DateTimeOffset Local(DateOnly day, int hour, int minute = 0) =>
        new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, minute)), IndependentCalendar.China).ToUniversalTime();

    public async ValueTask DisposeAsync()
    {
        // A paused year is played on later; a long year that failed is kept to be studied (its seed and day are in the failure).
        if (_paused || (_options.StateFolder is not null && !_finished))
        {
            Console.WriteLine($"{(_paused ? "paused" : "kept")}: {_host.DataFolder}{(_host.IsPostgres ? " and database " + _host.DatabaseName : "")}"
                + (_paused ? " (play on with --resume)" : ""));
            return;
        }

        if (_options.Keep)
        {
            Console.WriteLine($"kept: {_host.DataFolder}{(_host.IsPostgres ? " and database " + _host.DatabaseName : "")}");
            return;
        }

        _host.Dispose();
        await Task.CompletedTask;
    }

    public async Task<SimulationReport> RunAsync()
    {
        var wall = Stopwatch.StartNew();
        _host.CreateClient().Dispose(); // start the app: migrate, seed the catalogue, calendar and demo accounts
        await PrepareAsync();
        if (_resume is null)
        {
            await using var before = _host.CreateDbContext();
            _databaseBytesAtStart = await DatabaseBytesAsync(before);
        }
        else
        {
            await RestoreAsync(_resume);
        }

        var wallBefore = TimeSpan.FromSeconds(_resume?.WallSeconds ?? 0);
        var days = _options.To.DayNumber - _options.From.DayNumber + 1;
        var workingDays = Enumerable.Range(0, days).Select(_options.From.AddDays).Count(IndependentCalendar.IsWorkingDay);
        var filed = _resume?.Filed ?? 0;
        var workingDayIndex = _resume?.WorkingDayIndex ?? 0;
        _report.SimulatedDays = days;
        for (var day = _resume?.NextDay ?? _options.From; day <= _options.To; day = day.AddDays(1))
        {
            _day = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var working = IndependentCalendar.IsWorkingDay(day);

            // 09:00 the scan on the night's crossings; the morning's filings (online ones come on any day).
            await MoveToAsync(Local(day, 9));
            await ScanAsync();
            var quota = working
                ? (int)Math.Round((double)_options.Cases * (workingDayIndex + 1) / workingDays) - filed
                : 0;
            if (working)
            {
                workingDayIndex++;
            }

            for (var i = 0; i < quota; i++)
            {
                await MoveToAsync(Local(day, 9, Math.Min(59, i * 60 / Math.Max(1, quota))));
                await FileAsync(working);
                filed++;
            }

            if (working)
            {
                // 10:00 the window; 14:00 the departments; 16:00 certificates, delivery and archiving; the line systems all day.
                await MoveToAsync(Local(day, 10));
                await DueActsAsync(Stage.Window);
                await BundlesAtWindowAsync();
                await MoveToAsync(Local(day, 11));
                await LineSystemDayAsync(day);
                await MoveToAsync(Local(day, 14));
                await BundleMembersAsync();
                await DueActsAsync(Stage.Handling);
                await MoveToAsync(Local(day, 15));
                await RectificationsDayAsync();
                await MoveToAsync(Local(day, 16));
                await BundleMembersAsync();
                await DueActsAsync(Stage.Conclusion);
                await SupervisorsDayAsync(day);
            }
            else
            {
                await MoveToAsync(Local(day, 11));
                await DueActsAsync(Stage.Applicant);
            }

            // 18:00 the evening scan and the day's performance rows, then the invariants of the day.
            await MoveToAsync(Local(day, 18));
            await ScanAsync();
            await RunAsync("performance", sp => sp.GetRequiredService<PerformanceAggregator>().RunAsync());
            await CheckDayAsync(day);
            if (day.AddDays(1).Day == 1 && day < _options.To)
            {
                await CheckDocumentsAsync(); // a month's documents (the last month's at the year's end)
            }

            _options.Log?.WriteLine($"{_day}: {filed} filed, {_cases.Values.Count(c => c.Stage != Stage.Done)} open, {_report.Count("scan-raised:Yellow")} yellow and {_report.Count("scan-raised:Red")} red cards so far");
            if (PauseRequested(day))
            {
                await CheckDocumentsAsync();
                await WriteCheckpointAsync(day.AddDays(1), filed, workingDayIndex, wallBefore + wall.Elapsed);
                _paused = true;
                _report.PausedAfter = day;
                _report.SimulatedDays = day.DayNumber - _options.From.DayNumber + 1;
                _report.Wall = wallBefore + wall.Elapsed;
                _report.Filed = filed;
                return _report;
            }
        }

        _report.Filed = filed;
        await CheckEndAsync();
        wall.Stop();
        _report.Wall = wallBefore + wall.Elapsed;
        _report.Segments = _segments;
        _finished = true;
        return _report;
    }

    private async Task MoveToAsync(DateTimeOffset t)
    {
        if (t > Now)
        {
            _host.Clock.SetUtcNow(t);
        }

        await Task.CompletedTask;
    }

    // ---- the people ------------------------------------------------------------------------------

    private sealed class Staff
    {
        public Dictionary<string, List<CaseActor>> Officers { get; } = [];

        public Dictionary<string, CaseActor> Heads { get; } = [];

        public List<CaseActor> Clerks { get; } = [];

        public CaseActor Agent { get; set; } = null!;

        public CaseActor Supervisor { get; set; } = null!;

        public List<(CaseActor Actor, Person Person)> Applicants { get; } = [];

        public LineSystem System { get; set; } = null!;
    }

    /// <summary>Staff for every department (three officers and a head), applicants with every kind of name, a line system.</summary>
    private async Task PrepareAsync()
    {
        using var scope = _host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        await using var db = _host.CreateDbContext();
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Code).ToListAsync();
        _staff = new Staff();
        foreach (var d in departments)
        {
            var code = d.Code.ToLowerInvariant();
            var officers = new List<CaseActor>();
            foreach (var name in new[] { $"officer.{code}", $"officer2.{code}", $"officer3.{code}" })
            {
                officers.Add(await EnsureUserAsync(users, name, $"{d.Name[..Math.Min(4, d.Name.Length)]}经办{officers.Count + 1}", Roles.Officer, d));
            }

            _staff.Officers[d.Code] = officers;
            _staff.Heads[d.Code] = await EnsureUserAsync(users, $"head.{code}", $"{d.Name[..Math.Min(4, d.Name.Length)]}负责人", Roles.DepartmentHead, d);
        }

        foreach (var name in new[] { "clerk", "clerk2" })
        {
            var u = await users.FindByNameAsync(name) ?? throw new SimulationFailedException($"demo account {name} missing");
            _staff.Clerks.Add(new CaseActor(u.Id, u.DisplayName, [Roles.Clerk], "FWZX"));
        }

        var agent = await users.FindByNameAsync("agent") ?? throw new SimulationFailedException("demo account agent missing");
        _staff.Agent = new CaseActor(agent.Id, agent.DisplayName, [Roles.Agent], null, "CGZ");
        var supervisor = await users.FindByNameAsync("supervisor") ?? throw new SimulationFailedException("demo account supervisor missing");
        _staff.Supervisor = new CaseActor(supervisor.Id, supervisor.DisplayName, [Roles.Supervisor]);

        // Online applicants: citizens and enterprises with accounts (no password: they act through the handlers).
        if (_resume is not null)
        {
            // A paused year's accounts, line system and first round are in its database and checkpoint already.
            _staff.Applicants.AddRange(_resume.Applicants);
            _staff.System = await db.LineSystems.AsNoTracking().SingleAsync(s => s.Code == SimLineSystem);
            _matters = await PublishedMattersAsync(scope.ServiceProvider, db);
            await PrepareBundlesAsync(db);
            return;
        }

        for (var i = 0; i < 80; i++)
        {
            var person = People.Next(_random, enterprise: i % 4 == 3);
            var user = new ApplicationUser
            {
                UserName = $"sim-applicant-{i}", DisplayName = person.Name, PhoneNumber = person.Phone, Address = person.Address,
                ApplicantType = person.Enterprise ? ApplicantType.Enterprise : ApplicantType.Citizen,
                IdNumber = person.Enterprise ? null : person.IdNumber, CreditCode = person.Enterprise ? person.IdNumber : null,
                LegalRepresentative = person.LegalRepresentative, CreatedAt = Now,
            };
            Created(await users.CreateAsync(user), user.UserName);
            Created(await users.AddToRoleAsync(user, Roles.Applicant), user.UserName);
            _staff.Applicants.Add((new CaseActor(user.Id, person.Name, [Roles.Applicant]), person));
        }

        var issued = await scope.ServiceProvider.GetRequiredService<LineSystems.Handler>().RegisterAsync(new LineSystems.Command(SimLineSystem, "公安业务系统（模拟）", "GA", null));
        _staff.System = await db.LineSystems.AsNoTracking().SingleAsync(s => s.Id == issued.System.Id);
        _matters = await PublishedMattersAsync(scope.ServiceProvider, db);
        _firstRound = [.. _matters.OrderBy(_ => _random.Next())];
        await PrepareBundlesAsync(db);
    }

    private const string SimLineSystem = "SIM-GA";

    /// <summary>The matters people file: published ones, but not a matter a published bundle replaces (decision 0058: they file the bundle).</summary>
    private static async Task<List<Matter>> PublishedMattersAsync(IServiceProvider services, AppDbContext db)
    {
        var replaced = await services.GetRequiredService<ApprovalSystem.Web.Features.Bundles.ReplacedMatters>().AllAsync();
        return [.. (await db.Matters.AsNoTracking().Include(m => m.Department).Where(m => m.IsPublished).OrderBy(m => m.Code).ToListAsync())
            .Where(m => !replaced.ContainsKey(m.Code))];
    }

    private async Task<CaseActor> EnsureUserAsync(UserManager<ApplicationUser> users, string userName, string displayName, string role, Department d)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            user = new ApplicationUser { UserName = userName, DisplayName = displayName, DepartmentId = d.Id, CreatedAt = Now };
            Created(await users.CreateAsync(user), userName);
            Created(await users.AddToRoleAsync(user, role), userName);
        }

        return new CaseActor(user.Id, user.DisplayName, [role], d.Code);
    }

    private static void Created(IdentityResult result, string? name)
    {
        if (!result.Succeeded)
        {
            throw new SimulationFailedException($"could not create {name}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }

    // ---- running an act --------------------------------------------------------------------------

    /// <summary>Runs one act in a scope of its own (as a request would); any exception stops the run with the seed, the day and the act.</summary>
    private async Task<T> RunAsync<T>(string act, Func<IServiceProvider, Task<T>> body)
    {
        _act = act;
        using var scope = _host.Services.CreateScope();
        try
        {
            // An act that waits on a lock or a write gate an earlier (abandoned) act left held would wait for ever. Wall time: a process
            // stopped (SIGSTOP) for longer fails the act in flight when it goes on, so a long year is paused with its pause file instead.
            var result = await body(scope.ServiceProvider).WaitAsync(TimeSpan.FromMinutes(2));
            _report.Add("act:" + act.Split(' ')[0]);
            return result;
        }
        catch (TimeoutException e)
        {
            throw Fail("the act did not finish within two minutes (a lock or the write gate left held?)", e);
        }
        catch (Exception e)
        {
            throw Fail($"the act failed: {e.GetType().Name}: {e.Message}", e);
        }
    }

    private Task<bool> RunAsync(string act, Func<IServiceProvider, Task> body) => RunAsync<bool>(act, async sp =>
    {
        await body(sp);
        return true;
    });

    private SimulationFailedException Fail(string what, Exception? inner = null) =>
        new($"seed {_options.Seed}, day {_day} ({Now.ToOffset(IndependentCalendar.China):yyyy-MM-dd HH:mm}), act {_act}: {what}" +
            $"{Environment.NewLine}reproduce: dotnet run --project tests/ApprovalSystem.Simulation -- --seed {_options.Seed} --cases {_options.Cases} --provider {_options.Provider}", inner);

    private bool Chance(double p) => _random.NextDouble() < p;

    private T Pick<T>(IReadOnlyList<T> list) => list[_random.Next(list.Count)];

    private async Task ScanAsync()
    {
        var result = await RunAsync("scan", sp => sp.GetRequiredService<ScanJob>().ScanAsync());
        _report.Add("scan");
        _report.Add("scan-raised:Yellow", result.Yellow); // the evening's log line; the year-end count comes from the cards kept
        _report.Add("scan-raised:Red", result.Red);
    }
}
