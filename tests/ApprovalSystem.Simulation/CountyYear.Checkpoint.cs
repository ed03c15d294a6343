using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using ApprovalSystem.Core.Cases;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Simulation;

/// <summary>
/// Pausing a long year at an evening and resuming it the next morning (decision 0076). The 100,000-filing year on PostgreSQL takes
/// longer on two cores than a working session lasts, and a session's end stops every process. So a run given a state folder pauses
/// after the evening whose checks have passed when a file named <see cref="PauseFile"/> appears there (or after
/// <see cref="SimulationOptions.PauseAfter"/>): it writes what the harness holds in memory (the random stream's state, its counts,
/// every case's plan, the line-system cases, the bundles) beside the data folder and keeps the database. <c>--resume</c> starts the
/// app again on both and plays on from the next morning; a test proves the resumed year is the same year as one played through.
/// </summary>
public sealed partial class CountyYear
{
    /// <summary>The file whose presence in the state folder asks the run to pause after the evening's checks.</summary>
    public const string PauseFile = "pause";

    private const string CheckpointFile = "checkpoint.json";

    private static readonly JsonSerializerOptions CheckpointJson = new()
    {
        IncludeFields = true, // the applicants are (actor, person) tuples
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
    };

    /// <summary>What the harness holds in memory at an evening; the database and the data folder hold the rest.</summary>
    private sealed class Checkpoint
    {
        public required SimulationOptions Options { get; init; }

        public required string DatabaseName { get; init; }

        public required DateOnly NextDay { get; init; }

        public required int Filed { get; init; }

        public required int WorkingDayIndex { get; init; }

        public required double WallSeconds { get; init; }

        public required int Segments { get; init; }

        public required long DatabaseBytesAtStart { get; init; }

        public required long DocumentsCheckedThrough { get; init; }

        public required int DocumentsSeen { get; init; }

        public required RandomState Random { get; init; }

        public required Dictionary<string, int> Counts { get; init; }

        public required List<SimCaseState> Cases { get; init; }

        public required List<ExternalCase> External { get; init; }

        public required List<SimBundle> Bundles { get; init; }

        public required List<string> FirstRound { get; init; }

        public required List<(CaseActor Actor, Person Person)> Applicants { get; init; }
    }

    /// <summary>A case's plan without the case itself (read again from the database on resuming).</summary>
    private sealed record SimCaseState(
        long Id, string MatterCode, CaseActor Filer, Person Applicant, string Channel, Stage Stage, DateTimeOffset NextAt, bool Refuse,
        bool Supplement, bool WithdrawEarly, bool WithdrawLate, bool Deny, bool ReturnOnce, int Special, int Extension, bool Reassign,
        bool Late, bool LateArchive, bool Delivered, long? BundleId);

    private static Checkpoint ReadCheckpoint(string folder)
    {
        var path = Path.Combine(folder, CheckpointFile);
        if (!File.Exists(path))
        {
            throw new SimulationFailedException($"no paused year in {folder} (no {CheckpointFile})");
        }

        return JsonSerializer.Deserialize<Checkpoint>(File.ReadAllText(path), CheckpointJson)
            ?? throw new SimulationFailedException($"{path} is empty");
    }

    private bool PauseRequested(DateOnly day) =>
        day < _options.To
        && (_options.PauseAfter == day || (_options.StateFolder is { } folder && File.Exists(Path.Combine(folder, PauseFile))));

    private async Task WriteCheckpointAsync(DateOnly nextDay, int filed, int workingDayIndex, TimeSpan wall)
    {
        var checkpoint = new Checkpoint
        {
            Options = _options with { PostgresConnection = null, Log = null, PauseAfter = null, Keep = false },
            DatabaseName = _host.DatabaseName,
            NextDay = nextDay,
            Filed = filed,
            WorkingDayIndex = workingDayIndex,
            WallSeconds = wall.TotalSeconds,
            Segments = _segments,
            DatabaseBytesAtStart = _databaseBytesAtStart,
            DocumentsCheckedThrough = _documentsCheckedThrough,
            DocumentsSeen = _documentsSeen,
            Random = RandomState.Of(_random),
            Counts = new Dictionary<string, int>(_report.Counts),
            Cases = [.. _cases.Values.Select(s => new SimCaseState(
                s.Id, s.Matter.Code, s.Filer, s.Applicant, s.Channel, s.Stage, s.NextAt, s.Refuse, s.Supplement, s.WithdrawEarly,
                s.WithdrawLate, s.Deny, s.ReturnOnce, s.Special, s.Extension, s.Reassign, s.Late, s.LateArchive, s.Delivered, s.BundleId))],
            External = _external,
            Bundles = [.. _bundles.Values],
            FirstRound = [.. _firstRound.Select(m => m.Code)],
            Applicants = _staff.Applicants,
        };

        // Written beside and then moved over the old one: a run stopped while writing leaves the previous evening whole.
        var path = Path.Combine(_host.DataFolder, CheckpointFile);
        await using (var file = File.Create(path + ".tmp"))
        {
            await JsonSerializer.SerializeAsync(file, checkpoint, CheckpointJson);
        }

        File.Move(path + ".tmp", path, overwrite: true);
        File.Delete(Path.Combine(_host.DataFolder, PauseFile));
    }

    /// <summary>Puts back what the harness held (after <see cref="PrepareAsync"/> has read the staff and the catalogue again).</summary>
    private async Task RestoreAsync(Checkpoint checkpoint)
    {
        checkpoint.Random.Into(_random);
        foreach (var (key, value) in checkpoint.Counts)
        {
            _report.Set(key, value);
        }

        _databaseBytesAtStart = checkpoint.DatabaseBytesAtStart;
        _documentsCheckedThrough = checkpoint.DocumentsCheckedThrough;
        _documentsSeen = checkpoint.DocumentsSeen;
        _segments = checkpoint.Segments + 1;
        var byCode = _matters.ToDictionary(m => m.Code);
        _firstRound = [.. checkpoint.FirstRound.Select(c => byCode[c])];
        _external.AddRange(checkpoint.External);
        foreach (var b in checkpoint.Bundles)
        {
            _bundles[b.Id] = b;
        }

        // The cases, in the order they were added (a dictionary without removals enumerates in that order, and the harness relies on it).
        await using var db = _host.CreateDbContext();
        foreach (var chunk in checkpoint.Cases.Chunk(2_000))
        {
            var ids = chunk.Select(c => c.Id).ToList();
            var current = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
            foreach (var s in chunk)
            {
                _cases[s.Id] = new SimCase
                {
                    Current = current.TryGetValue(s.Id, out var c) ? c : throw new SimulationFailedException($"case {s.Id} of the checkpoint is not in the database"),
                    Matter = byCode.TryGetValue(s.MatterCode, out var m) ? m : _allMatters[s.MatterCode],
                    Filer = s.Filer, Applicant = s.Applicant, Channel = s.Channel, Stage = s.Stage, NextAt = s.NextAt, Refuse = s.Refuse,
                    Supplement = s.Supplement, WithdrawEarly = s.WithdrawEarly, WithdrawLate = s.WithdrawLate, Deny = s.Deny,
                    ReturnOnce = s.ReturnOnce, Special = s.Special, Extension = s.Extension, Reassign = s.Reassign, Late = s.Late,
                    LateArchive = s.LateArchive, Delivered = s.Delivered, BundleId = s.BundleId,
                };
            }
        }
    }

    /// <summary>
    /// The state of a seeded <see cref="System.Random"/> (its subtractive generator: 56 numbers and two indices), read and put back by
    /// reflection so a resumed year draws exactly the numbers the uninterrupted one would. A runtime that changes the field names makes
    /// <c>CheckpointTests</c> fail rather than a resumed year drift.
    /// </summary>
    public sealed record RandomState(int[] SeedArray, int Next, int NextP)
    {
        private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic;

        public static RandomState Of(Random random)
        {
            var (impl, prngField) = Generator(random);
            var prng = prngField.GetValue(impl)!;
            var t = prng.GetType();
            return new RandomState(
                (int[])((int[])Field(t, "_seedArray").GetValue(prng)!).Clone(),
                (int)Field(t, "_inext").GetValue(prng)!,
                (int)Field(t, "_inextp").GetValue(prng)!);
        }

        public void Into(Random random)
        {
            var (impl, prngField) = Generator(random);
            var prng = prngField.GetValue(impl)!; // a boxed copy of the struct: set its fields, then put it back
            var t = prng.GetType();
            Field(t, "_seedArray").SetValue(prng, SeedArray.Clone());
            Field(t, "_inext").SetValue(prng, Next);
            Field(t, "_inextp").SetValue(prng, NextP);
            prngField.SetValue(impl, prng);
        }

        private static (object Impl, FieldInfo Prng) Generator(Random random)
        {
            var impl = Field(typeof(Random), "_impl").GetValue(random)!;
            return (impl, Field(impl.GetType(), "_prng"));
        }

        private static FieldInfo Field(Type type, string name) =>
            type.GetField(name, Instance) ?? throw new InvalidOperationException($"{type.FullName} has no field {name}: the runtime's Random changed");
    }
}
