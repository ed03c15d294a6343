using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Bundles;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Simulation;

/// <summary>
/// 一件事 in the year (decision 0054): some filings are bundles, online or at the window, with the guide's questions answered and
/// the merged form filled. The window accepts once (some after one supplement notice, a few refused). The members that wait for
/// nobody run as ordinary cases from the acceptance; the others start when what they wait for is approved, which the app does
/// after the act or in the scan's sweep, and the harness then takes them up like any case. Some members are denied, so both
/// rules run: 整件终止 withdraws the rest, 其余继续 lets them finish. Every evening each running bundle is checked against its
/// members' cases, and its clock against the independent calendar.
/// </summary>
public sealed partial class CountyYear
{
    /// <summary>The share of working-day filings that are bundles.</summary>
    private const double BundleShare = 0.03;

    private enum BundleStage
    {
        Window,
        Applicant,
        Running,
        Closed,
    }

    private sealed class SimBundle
    {
        public required long Id { get; init; }

        public required CaseActor Filer { get; init; }

        public required Person Applicant { get; init; }

        public BundleStage Stage { get; set; } = BundleStage.Window;

        public DateTimeOffset NextAt { get; set; }

        public bool Supplement { get; set; }

        public bool Refuse { get; init; }

        /// <summary>The first member taken up is denied: the bundle's rule (stop or continue) runs.</summary>
        public bool DenyFirst { get; init; }

        /// <summary>Members taken up as cases so far.</summary>
        public int Tracked { get; set; }

        /// <summary>When the harness saw it end (it is checked that evening once more).</summary>
        public DateTimeOffset? ClosedAt { get; set; }
    }

    private readonly Dictionary<long, SimBundle> _bundles = [];
    private List<BundleData> _bundleCatalogue = [];
    private Dictionary<string, Matter> _allMatters = [];

    private async Task PrepareBundlesAsync(AppDbContext db)
    {
        _bundleCatalogue = [.. (await db.Bundles.AsNoTracking().Where(b => b.IsPublished).OrderBy(b => b.Code).ToListAsync()).Select(b => b.Definition)];
        _allMatters = (await db.Matters.AsNoTracking().Include(m => m.Department).ToListAsync()).ToDictionary(m => m.Code);
    }

    /// <summary>One bundle filed: every published bundle once first, then at random; the questions answered, the merged form filled.</summary>
    private async Task FileBundleAsync()
    {
        var index = _report.Count("act:bundle-file");
        var definition = index < _bundleCatalogue.Count ? _bundleCatalogue[index] : Pick(_bundleCatalogue);
        var online = Chance(0.5);
        var unit = ForUnits(definition);
        CaseActor filer;
        Person person;
        FileCase.ApplicantInput? input = null;
        if (online)
        {
            (filer, person) = Pick(unit ? [.. _staff.Applicants.Where(a => a.Person.Enterprise)] : _staff.Applicants);
        }
        else
        {
            filer = Pick(_staff.Clerks);
            person = People.Next(_random, enterprise: unit || Chance(0.5));
            input = Input(person);
        }

        var answers = new Dictionary<string, string>();
        foreach (var q in definition.Situations.Where(q => Situations.Holds(q.When, answers)))
        {
            answers[q.Key] = Pick(q.Options);
        }

        var form = new Dictionary<string, string>();
        foreach (var f in definition.FieldsFor(answers).Where(f => f.Required || f.RequiredWhen is not null || Chance(0.5)))
        {
            form[f.Key] = FieldValue(f, person, definition.Name);
        }

        var command = new FileBundle.Command { BundleCode = definition.Code, Applicant = input, Answers = answers, FormData = form };
        var bundle = await RunAsync($"bundle-file {definition.Code}", sp => sp.GetRequiredService<FileBundle.Handler>().HandleAsync(command, filer));
        _report.Add("bundle:" + definition.Code);
        _report.Add("channel:bundle-" + (online ? "online" : "window"));
        _bundles[bundle.Id] = new SimBundle
        {
            Id = bundle.Id, Filer = filer, Applicant = person, NextAt = Now,
            Supplement = index % 10 == 1, Refuse = index % 20 == 3, DenyFirst = Chance(0.15),
        };
    }

    /// <summary>
    /// A bundle an employer files (员工录用, 企业注销): a member that starts at once needs the applicant's credit code, and no field of
    /// the merged form asks for it. A resident filing one is told so in Chinese at filing; the county's employers file these.
    /// </summary>
    private bool ForUnits(BundleData definition) => definition.Members.Where(m => m.After.Count == 0).Any(m =>
        _allMatters.Values.FirstOrDefault(x => BundleData.Names(m.Matter, x.Code)) is { } matter
        && matter.FormFields.Any(f => f.Required && f.Type == FieldKind.CreditCode && f.Prefill == "applicant.idNumber"
            && !definition.FormFields.Any(x => x.Maps.Any(r => MergedField.Target(r) is (var code, var key) && BundleData.Names(code, matter.Code) && key == f.Key))));

    /// <summary>The window's bundles (10:00): supplements handed in come back, then each is accepted once, asked once, or refused.</summary>
    private async Task BundlesAtWindowAsync()
    {
        foreach (var b in _bundles.Values.Where(b => b.Stage is BundleStage.Window or BundleStage.Applicant && b.NextAt <= Now).OrderBy(b => b.Id).ToList())
        {
            if (b.Stage == BundleStage.Applicant)
            {
                await RunAsync("bundle-resubmit", sp => sp.GetRequiredService<BundleActs.Handler>().ResubmitAsync(b.Id, b.Filer));
                b.Stage = BundleStage.Window;
            }

            var clerk = Pick(_staff.Clerks);
            var acts = (IServiceProvider sp) => sp.GetRequiredService<BundleActs.Handler>();
            if (b.Refuse)
            {
                var refused = await RunAsync("bundle-refuse", sp => acts(sp).RefuseAsync(new BundleActs.RefuseCommand(b.Id, "经营场所位于禁止开办区域，不予受理"), clerk));
                b.Stage = BundleStage.Closed;
                b.ClosedAt = Now;
                _report.Add("bundle-final:" + refused.State);
                await TrackMembersAsync(b, refused, later: false);
                continue;
            }

            if (b.Supplement)
            {
                b.Supplement = false;
                await RunAsync("bundle-supplement", sp => acts(sp).RequestSupplementAsync(new BundleActs.SupplementCommand(b.Id, ["申请表需全体股东签字", "住所使用证明复印件不清晰"]), clerk));
                b.Stage = BundleStage.Applicant;
                b.NextAt = Now.AddDays(_random.Next(1, 4));
                continue;
            }

            BundleCase filed;
            await using (var db = _host.CreateDbContext())
            {
                filed = await db.BundleCases.AsNoTracking().SingleAsync(x => x.Id == b.Id);
            }

            // The clerk checks what was handed in; what a member produces (the licence) is not handed in.
            var produced = filed.Definition.Materials.Where(m => m.From.Count > 0).Select(m => m.Name).ToHashSet();
            var received = filed.Materials.Select(m => m.Name).Where(n => !produced.Contains(n)).ToList();
            var accepted = await RunAsync("bundle-accept", sp => acts(sp).AcceptAsync(new BundleActs.AcceptCommand(b.Id, received, "材料齐全，一窗受理"), clerk));
            b.Stage = BundleStage.Running;
            await TrackMembersAsync(b, accepted, later: false);
        }
    }

    /// <summary>
    /// Running bundles: members started since (by the app, after the act that approved what they waited for, or in the sweep) are
    /// taken up as cases; a bundle that concluded or stopped is closed.
    /// </summary>
    private async Task BundleMembersAsync()
    {
        foreach (var b in _bundles.Values.Where(b => b.Stage == BundleStage.Running).OrderBy(b => b.Id).ToList())
        {
            BundleCase bundle;
            await using (var db = _host.CreateDbContext())
            {
                bundle = await db.BundleCases.AsNoTracking().SingleAsync(x => x.Id == b.Id);
            }

            if (bundle.Members.Any(m => m.Started && !_cases.ContainsKey(m.CaseId)))
            {
                await TrackMembersAsync(b, bundle, later: true);
            }

            if (bundle.State is BundleState.Concluded or BundleState.Stopped)
            {
                b.Stage = BundleStage.Closed;
                b.ClosedAt = Now;
                _report.Add("bundle-final:" + bundle.State);
            }
        }
    }

    /// <summary>The bundle's members that were filed (started, or refused with it) become cases the harness drives to their end.</summary>
    private async Task TrackMembersAsync(SimBundle b, BundleCase bundle, bool later)
    {
        var ids = bundle.Members.Where(m => (m.Started || bundle.State == BundleState.NotAccepted) && !_cases.ContainsKey(m.CaseId)).Select(m => m.CaseId).ToList();
        await using var db = _host.CreateDbContext();
        var cases = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync();
        foreach (var c in cases.Where(c => c.State != CaseState.Draft))
        {
            var matter = _allMatters[c.MatterCode];
            if (later)
            {
                await CheckCarriedCodeAsync(db, b, bundle, c, matter);
            }

            var running = c.State is CaseState.Handling or CaseState.Suspended;
            _cases[c.Id] = new SimCase
            {
                Current = c, Matter = matter, Filer = b.Filer, Applicant = b.Applicant, Channel = "bundle", BundleId = b.Id,
                Stage = running ? Stage.Handling : Stage.Conclusion,
                NextAt = running ? NextWorkingDay(14) : Now,
                Deny = (b.DenyFirst && b.Tracked == 0) || Chance(0.02),
                ReturnOnce = Chance(0.08),
                Special = matter.Kind != MatterKind.Immediate && Chance(0.04) ? 1 : 0,
                Extension = matter.Kind != MatterKind.Immediate && Chance(0.04) ? 1 : 0,
                Reassign = Chance(0.06),
                Late = Chance(0.05),
                LateArchive = Chance(0.03),
            };
            b.Tracked++;
            _report.Add(later ? "bundle:member-started-later" : "bundle:member");
            _report.Add("matter:" + matter.Code);
            _report.Add("path:" + matter.WorkflowId);
        }
    }

    /// <summary>
    /// A member started after the members it waited for carries the 统一社会信用代码 their steps recorded (a new company's, entered at its
    /// registration's 核准), unless the applicant is a unit and gave its own: read from the earlier members' workflow data by the harness.
    /// </summary>
    private async Task CheckCarriedCodeAsync(AppDbContext db, SimBundle b, BundleCase bundle, Case c, Matter matter)
    {
        var field = matter.FormFields.FirstOrDefault(f => f.Type == FieldKind.CreditCode);
        var after = bundle.Members.Single(m => m.CaseId == c.Id).After;
        if (field is null || b.Applicant.Enterprise || after.Count == 0)
        {
            return;
        }

        var earlierIds = bundle.Members.Where(m => after.Contains(m.MatterCode)).Select(m => m.CaseId).ToList();
        var recorded = (await db.Cases.AsNoTracking().Where(x => earlierIds.Contains(x.Id) && x.WorkflowState != null).ToListAsync())
            .SelectMany(x => x.Instance().Sections.Values).Select(v => v.GetValueOrDefault("creditCode")).LastOrDefault(v => v is not null);
        if (recorded is null)
        {
            return;
        }

        if (c.FormData.GetValueOrDefault(field.Key) != recorded)
        {
            throw Fail($"bundle {bundle.Number}: {c.MatterName} started without the credit code {recorded} its registration recorded "
                + $"(its form has “{c.FormData.GetValueOrDefault(field.Key)}”)");
        }

        _report.Add("bundle:credit-code-carried");
    }

    /// <summary>A bundle's member acted on by the app in between (withdrawn by the bundle's rule): the harness reads it again first.</summary>
    private async Task<bool> RefreshMemberAsync(SimCase s)
    {
        if (s.BundleId is null)
        {
            return true;
        }

        await using (var db = _host.CreateDbContext())
        {
            s.Current = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == s.Id);
        }

        if (s.Current.State == CaseState.Withdrawn && s.Stage != Stage.Conclusion)
        {
            _report.Add("bundle:member-withdrawn-by-rule");
            s.Stage = Stage.Conclusion;
            s.NextAt = Now;
            return false;
        }

        return true;
    }

    /// <summary>
    /// The evening's bundle invariants: a running bundle has no member left waiting whose predecessors are all approved (the act or
    /// the sweep starts it), is not running once every member ended, and its clock ends where the independent calendar says; a
    /// closed one recorded each member's outcome as its case shows it, and its last notice names every member that failed.
    /// </summary>
    private async Task CheckBundlesAsync(AppDbContext db, bool all)
    {
        var ids = _bundles.Values.Where(b => all || b.Stage != BundleStage.Closed || b.ClosedAt >= Now.AddHours(-12)).Select(b => b.Id).ToList();
        foreach (var bundle in await db.BundleCases.AsNoTracking().Where(x => ids.Contains(x.Id)).ToListAsync())
        {
            var memberIds = bundle.Members.Select(m => m.CaseId).ToList();
            var cases = await db.Cases.AsNoTracking().Where(c => memberIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
            // A withdrawn member may be archived since: its journal says it was withdrawn.
            var withdrawn = (await db.Journal.AsNoTracking().Where(j => memberIds.Contains(j.CaseId) && j.Action == "Withdraw").Select(j => j.CaseId)
                .ToListAsync()).ToHashSet();
            var truth = cases.Values.ToDictionary(c => c.Id, c => withdrawn.Contains(c.Id) ? MemberOutcome.Withdrawn : TrueOutcome(c));
            if (bundle.State == BundleState.Accepted)
            {
                if (bundle.AcceptedAt is { } accepted && bundle.Deadline.DueAt is { } due
                    && IndependentCalendar.Due(accepted, bundle.Definition.PromisedLimitDays) is { } expected && expected != due)
                {
                    throw Fail($"bundle {bundle.Number}: due {due:O}, but {bundle.Definition.PromisedLimitDays} working days from {accepted:O} end at {expected:O}");
                }

                foreach (var m in bundle.Members.Where(m => !m.Started && truth[m.CaseId] == MemberOutcome.Open))
                {
                    var before = m.After.Select(a => bundle.Members.First(x => x.MatterCode == a)).ToList();
                    if (before.All(x => truth[x.CaseId] == MemberOutcome.Approved))
                    {
                        throw Fail($"bundle {bundle.Number}: {m.MatterName} still waits, but {string.Join("、", before.Select(x => x.MatterName))} "
                            + "were approved (neither the act nor the scan's sweep started it)");
                    }
                }

                if (truth.Values.All(o => o != MemberOutcome.Open))
                {
                    throw Fail($"bundle {bundle.Number} is still running, but every member ended: "
                        + string.Join(", ", bundle.Members.Select(m => $"{m.MatterName} {cases[m.CaseId].State}")));
                }
            }
            else if (bundle.State is BundleState.Concluded or BundleState.Stopped)
            {
                foreach (var m in bundle.Members.Where(m => m.Outcome != truth[m.CaseId]))
                {
                    throw Fail($"bundle {bundle.Number} recorded {m.MatterName} as {m.Outcome}, but its case is {cases[m.CaseId].State} ({truth[m.CaseId]})");
                }

                var notice = bundle.Notices.LastOrDefault()?.Text ?? "";
                var failed = bundle.Members.Where(m => m.Outcome == MemberOutcome.Failed).Select(m => m.MatterName).ToList();
                var failedPart = notice.Split("未获准予：") is { Length: 2 } parts ? parts[1] : "";
                if (failed.Any(name => !failedPart.Contains(name, StringComparison.Ordinal)))
                {
                    throw Fail($"bundle {bundle.Number}: its last notice does not name every member that failed ({string.Join("、", failed)}): {notice}");
                }
            }
        }
    }

    /// <summary>A member's outcome as the harness reads its case, without the app's own reading (BundleCase.OutcomeOf).</summary>
    private static MemberOutcome TrueOutcome(Case c) => c.State switch
    {
        CaseState.NotAccepted => MemberOutcome.Failed,
        CaseState.Withdrawn => MemberOutcome.Withdrawn,
        CaseState.Denied => MemberOutcome.Failed,
        CaseState.Approved or CaseState.Reported or CaseState.CertificateIssued => MemberOutcome.Approved,
        CaseState.Delivered or CaseState.Archived when c.WorkflowState is null || c.Instance().Result is WorkflowResult.Denied => MemberOutcome.Failed,
        CaseState.Delivered or CaseState.Archived => MemberOutcome.Approved,
        _ => MemberOutcome.Open,
    };
}
