using System.Globalization;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Cases.Acceptance;
using ApprovalSystem.Web.Features.Cases.Conclusion;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Features.Cases.Handling;
using ApprovalSystem.Web.Features.Certificates;
using ApprovalSystem.Web.Features.Exchange.Inbound;
using ApprovalSystem.Web.Features.Exchange.Resources;
using ApprovalSystem.Web.Features.Portal;
using ApprovalSystem.Web.Features.Ratings;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ApprovalSystem.Web.Features.Supervision.Orders;

namespace ApprovalSystem.Simulation;

public sealed partial class CountyYear
{
    private enum Stage
    {
        Window,
        Applicant,
        Handling,
        Conclusion,
        Done,
    }

    /// <summary>One filing and what the seed planned for it.</summary>
    private sealed class SimCase
    {
        public required Case Current { get; set; }

        public required Matter Matter { get; init; }

        public required CaseActor Filer { get; init; }

        public required Person Applicant { get; init; }

        public required string Channel { get; init; }

        public Stage Stage { get; set; } = Stage.Window;

        public DateTimeOffset NextAt { get; set; }

        public bool Refuse { get; init; }

        public bool Supplement { get; set; }

        public bool WithdrawEarly { get; init; }

        public bool WithdrawLate { get; set; }

        public bool Deny { get; init; }

        public bool ReturnOnce { get; set; }

        /// <summary>0 none, 1 planned, 2 running, 3 done.</summary>
        public int Special { get; set; }

        /// <summary>0 none, 1 planned, 2 asked, 3 answered.</summary>
        public int Extension { get; set; }

        public bool Reassign { get; set; }

        public bool Late { get; set; }

        public bool LateArchive { get; init; }

        public bool Delivered { get; set; }

        /// <summary>The 一件事 the case is a member of (the app may act on it in between: the harness reads it again first).</summary>
        public long? BundleId { get; init; }

        public long Id => Current.Id;
    }

    // ---- filing ------------------------------------------------------------------------------------

    private Matter NextMatter()
    {
        if (_firstRound.Count > 0)
        {
            var first = _firstRound[^1];
            _firstRound.RemoveAt(_firstRound.Count - 1);
            return first;
        }

        // Realistic proportions: many immediate and promised matters, fewer joint and reported.
        var roll = _random.Next(100);
        var kind = roll < 38 ? MatterKind.Immediate : roll < 88 ? MatterKind.Promised : roll < 95 ? MatterKind.Joint : MatterKind.Reported;
        var of = _matters.Where(m => m.Kind == kind).ToList();
        return Pick(of.Count > 0 ? of : _matters);
    }

    private async Task FileAsync(bool working)
    {
        if (working && _bundleCatalogue.Count > 0 && Chance(BundleShare))
        {
            await FileBundleAsync();
            return;
        }

        var matter = NextMatter();
        var roll = _random.Next(100);
        var channel = roll < 45 ? "online" : roll < 80 ? "window" : "agent";
        CaseActor filer;
        Person person;
        FileCase.ApplicantInput? input = null;
        switch (channel)
        {
            case "online":
                (filer, person) = Pick(_staff.Applicants);
                break;
            case "window":
                filer = Pick(_staff.Clerks);
                person = People.Next(_random, enterprise: Chance(0.3));
                input = Input(person);
                break;
            default:
                filer = _staff.Agent;
                person = People.Next(_random, enterprise: false);
                input = Input(person);
                break;
        }

        _act = $"file {matter.Code} by {channel}";
        if (!IsWellFormed(Masking.PersonName(person.Name)))
        {
            throw Fail($"the masked name of {person.Name} is not well-formed text: {Masking.PersonName(person.Name)}");
        }

        var situation = Situation(matter);
        var form = Form(matter, person, situation);
        var draft = channel == "online" && Chance(0.1);
        var key = channel != "window" && Chance(0.08) ? $"sim-{_options.Seed}-{_report.Count("act:file")}" : null;
        if (channel == "window" && Chance(0.3))
        {
            // The window looks the applicant up in the shared resources first (a logged read).
            await RunAsync("prefill", async sp => await sp.GetRequiredService<Prefill>().ForActorAsync(filer, person.Enterprise ? ApplicantIdType.CreditCode : ApplicantIdType.ResidentId, person.IdNumber));
        }

        var command = new FileCase.Command
        {
            MatterCode = matter.Code, Applicant = input, FormData = form, Submit = !draft, IdempotencyKey = key, Situation = situation,
        };
        if (Chance(0.01))
        {
            // The request is aborted with the case written and the commit next: no case, number, key or journal entry remains.
            await AbandonAsync("file", null, (sp, ct) => sp.GetRequiredService<FileCase.Handler>().HandleAsync(command, filer, ct));
        }

        Case c;
        if (key is not null && Chance(0.5))
        {
            // The same request sent twice at once (a double tap, a client's retry): one case, both answered with it.
            var (a, b) = await RaceAsync("file", sp => sp.GetRequiredService<FileCase.Handler>().HandleAsync(command, filer),
                sp => sp.GetRequiredService<FileCase.Handler>().HandleAsync(command, filer));
            if (!a.Won || !b.Won || a.Result!.Id != b.Result!.Id)
            {
                throw Fail($"two filings with key {key} at once answered {a.Result?.Id.ToString(CultureInfo.InvariantCulture) ?? a.Refused!.Message} and {b.Result?.Id.ToString(CultureInfo.InvariantCulture) ?? b.Refused!.Message}");
            }

            c = a.Result;
            _report.Add("act:file");
        }
        else
        {
            c = await RunAsync($"file {matter.Code} by {channel}", sp => sp.GetRequiredService<FileCase.Handler>().HandleAsync(command, filer));
        }

        if (key is not null)
        {
            // A retry with the same key and body files nothing new.
            var again = await RunAsync($"file-retry {matter.Code}", sp => sp.GetRequiredService<FileCase.Handler>().HandleAsync(command, filer));
            if (again.Id != c.Id)
            {
                throw Fail($"a retried filing with key {key} created case {again.Id} beside {c.Id}");
            }
        }

        if (draft)
        {
            var changed = new Dictionary<string, string>(form);
            if (changed.Keys.FirstOrDefault(k => matter.FormFields.Any(f => f.Key == k && f.Type is FieldKind.Text or FieldKind.Textarea)) is { } text)
            {
                changed[text] = changed[text] + "（修改）";
            }

            await RunAsync("save-draft", sp => sp.GetRequiredService<SaveDraft.Handler>().HandleAsync(new SaveDraft.Command(c.Id, changed), filer));
            c = await RunAsync("submit", sp => sp.GetRequiredService<SubmitCase.Handler>().HandleAsync(new SubmitCase.Command(c.Id), filer));
        }

        _report.Add("channel:" + channel);
        _report.Add("matter:" + matter.Code);
        _report.Add("path:" + matter.WorkflowId);
        var withdrawable = channel != "window";
        _cases[c.Id] = new SimCase
        {
            Current = c, Matter = matter, Filer = filer, Applicant = person, Channel = channel,
            NextAt = Now,
            Refuse = Chance(0.03),
            Supplement = Chance(0.08),
            WithdrawEarly = withdrawable && Chance(0.02),
            WithdrawLate = withdrawable && Chance(0.015),
            Deny = Chance(0.06),
            ReturnOnce = Chance(0.08),
            Special = matter.Kind != MatterKind.Immediate && Chance(0.04) ? 1 : 0,
            Extension = matter.Kind != MatterKind.Immediate && Chance(0.04) ? 1 : 0,
            Reassign = Chance(0.06),
            Late = Chance(0.05),
            LateArchive = Chance(0.03),
        };
    }

    private static FileCase.ApplicantInput Input(Person p) => new()
    {
        Name = p.Name, IdType = p.Enterprise ? ApplicantIdType.CreditCode : ApplicantIdType.ResidentId, IdNumber = p.IdNumber, Phone = p.Phone,
        Address = p.Address, LegalRepresentative = p.LegalRepresentative,
    };

    /// <summary>The guide's questions 情形 answered as applicants do: every question asked, one of its options at random.</summary>
    private Dictionary<string, string> Situation(Matter matter)
    {
        var answers = new Dictionary<string, string>();
        foreach (var q in matter.Situations.Where(q => Situations.Holds(q.When, answers)))
        {
            answers[q.Key] = Pick(q.Options);
        }

        return answers;
    }

    /// <summary>
    /// The form as an applicant fills it: every required field (and every conditionally required one) the situation asks for, half of
    /// the optional ones, values of the right form; a field filled from a guide answer (situation.key) has that answer.
    /// </summary>
    private Dictionary<string, string> Form(Matter matter, Person person, Dictionary<string, string> situation)
    {
        var form = new Dictionary<string, string>();
        foreach (var f in matter.FormFields.Where(f => Situations.Holds(f.When, situation) && (f.Required || f.RequiredWhen is not null || Chance(0.5))))
        {
            if (f.Prefill?.StartsWith(MatterValidator.SituationPrefill, StringComparison.Ordinal) == true)
            {
                form[f.Key] = situation[f.Prefill[MatterValidator.SituationPrefill.Length..]];
                continue;
            }

            form[f.Key] = FieldValue(f, person, matter.Name);
        }

        return form;
    }

    /// <summary>A value of the field's form, as the applicant would type it: their own name, number and phone where asked.</summary>
    private string FieldValue(FormField f, Person person, string subject) => f.Type switch
    {
        FieldKind.Number => _random.Next(10, 5000).ToString(CultureInfo.InvariantCulture),
        FieldKind.Date => new DateOnly(2026, 1, 1).AddDays(_random.Next(0, 364)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        FieldKind.Phone => person.Phone,
        FieldKind.IdCard => person.Enterprise ? People.ResidentId(_random) : person.IdNumber,
        FieldKind.CreditCode => person.Enterprise ? person.IdNumber : People.CreditCode(_random),
        FieldKind.Select => Pick(f.Options!),
        FieldKind.Text when f.Key.Contains("name", StringComparison.OrdinalIgnoreCase) || f.Key.Contains("legalRep", StringComparison.Ordinal) =>
            person.Enterprise && !f.Key.Contains("legalRep", StringComparison.Ordinal) ? person.Name : person.LegalRepresentative ?? person.Name,
        FieldKind.Text => $"{f.Label}：{person.Address}",
        FieldKind.Textarea => $"{person.Name}申请{subject}，情况属实。",
    };

    /// <summary>No lone surrogate (a strict encoder refuses one) and no replacement character.</summary>
    private static bool IsWellFormed(string text)
    {
        try
        {
            _ = StrictUtf8.GetBytes(text);
            return !text.Contains('\uFFFD', StringComparison.Ordinal);
        }
        catch (System.Text.EncoderFallbackException)
        {
            return false;
        }
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(false, true);

    // ---- the day's acts ----------------------------------------------------------------------------

    private async Task DueActsAsync(Stage stage)
    {
        if (stage == Stage.Window)
        {
            // Supplements handed in come back to the window the same morning.
            await DueActsAsync(Stage.Applicant);
        }

        foreach (var s in _cases.Values.Where(c => c.Stage == stage && c.NextAt <= Now).OrderBy(c => c.Id).ToList())
        {
            if (!await RefreshMemberAsync(s))
            {
                continue;
            }

            switch (stage)
            {
                case Stage.Window:
                    await WindowAsync(s);
                    break;
                case Stage.Applicant:
                    s.Current = await RunAsync("resubmit", sp => sp.GetRequiredService<ResubmitCase.Handler>().HandleAsync(new ResubmitCase.Command(s.Id, "已按告知补齐材料"), s.Filer));
                    s.Stage = Stage.Window;
                    s.NextAt = Now;
                    break;
                case Stage.Handling:
                    await HandleAsync(s);
                    break;
                case Stage.Conclusion:
                    await ConcludeAsync(s);
                    break;
            }
        }
    }

    private DateTimeOffset NextWorkingDay(int hour, int after = 1)
    {
        var day = IndependentCalendar.LocalDay(Now);
        for (var counted = 0; counted < after;)
        {
            day = day.AddDays(1);
            if (IndependentCalendar.IsWorkingDay(day))
            {
                counted++;
            }
        }

        return Local(day, hour);
    }

    private async Task WindowAsync(SimCase s)
    {
        var clerk = Pick(_staff.Clerks);
        if (s.WithdrawEarly && Chance(0.6) && s.Matter.Kind != MatterKind.Immediate)
        {
            // The applicant withdraws as the clerk accepts: either order is valid (a withdrawal after acceptance is allowed,
            // an acceptance after withdrawal is not); the withdrawal, when it happened, is what the case shows.
            var accept = new AcceptCase.Command(s.Id, "材料齐全，予以受理", null, null, null, s.Matter.Materials.Select(m => m.Name).ToList());
            var (w, a) = await RaceAsync("withdraw-accept",
                sp => sp.GetRequiredService<WithdrawCase.Handler>().HandleAsync(new WithdrawCase.Command(s.Id, "不再办理"), s.Filer),
                sp => sp.GetRequiredService<AcceptCase.Handler>().HandleAsync(accept, clerk));
            if (!w.Won && !a.Won)
            {
                throw Fail($"neither the withdrawal nor the acceptance succeeded: {w.Refused!.Message} / {a.Refused!.Message}");
            }

            if (!w.Won || !a.Won)
            {
                _report.Add("race-refused:withdraw-accept");
            }

            await using var db = _host.CreateDbContext();
            s.Current = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == s.Id);
            if (w.Won != (s.Current.State == CaseState.Withdrawn))
            {
                throw Fail($"case {s.Current.Number} is {s.Current.State} after a withdrawal that {(w.Won ? "succeeded" : "was refused")}");
            }

            s.Stage = s.Current.State == CaseState.Handling ? Stage.Handling : Stage.Conclusion;
            s.NextAt = s.Current.State == CaseState.Handling ? NextWorkingDay(14) : Now;
            return;
        }

        if (s.WithdrawEarly)
        {
            s.Current = await RunAsync("withdraw", sp => sp.GetRequiredService<WithdrawCase.Handler>().HandleAsync(new WithdrawCase.Command(s.Id, "不再办理"), s.Filer));
            s.Stage = Stage.Conclusion;
            return;
        }

        if (s.Refuse)
        {
            s.Current = await RunAsync("refuse", sp => sp.GetRequiredService<RefuseCase.Handler>().HandleAsync(new RefuseCase.Command(s.Id, "申请事项不属于本机关职权范围"), clerk));
            s.Stage = Stage.Conclusion;
            s.NextAt = Local(IndependentCalendar.LocalDay(Now), 16);
            return;
        }

        var materials = s.Matter.Materials.Select(m => m.Name).ToList();
        if (s.Supplement)
        {
            s.Supplement = false;
            var items = new[] { $"{Pick(materials)}需加盖公章", "身份证明复印件不清晰" };
            s.Current = await RunAsync("supplement", sp => sp.GetRequiredService<RequestSupplement.Handler>().HandleAsync(new RequestSupplement.Command(s.Id, items), clerk));
            s.Stage = Stage.Applicant;
            s.NextAt = Now.AddDays(_random.Next(1, 4));
            return;
        }

        Outcome? decide = s.Matter.Kind == MatterKind.Immediate && Chance(0.8) ? (s.Deny ? Outcome.Deny : Outcome.Approve) : null;
        var decision = decide == Outcome.Deny ? "不符合法定条件" : decide is null ? null : "当场办结";
        Dictionary<string, string>? entered = null;
        if (decide == Outcome.Approve)
        {
            // Deciding at once acts on the flow's first step: the window enters what it asks for (an individual business's new code).
            var flow = await RunAsync("definition", async sp => await sp.GetRequiredService<WorkflowCatalog>().CurrentAsync(s.Current.WorkflowId));
            entered = StepValues(s, flow.FieldsOf(flow.Start, null));
        }

        if (Chance(_options.HttpShare))
        {
            // As the window's page does it: the demo clerk signed in, the review and the acceptance posted to the API.
            s.Current = await RunAsync("accept (HTTP)", async sp =>
            {
                using var client = await new HttpClerk(_host).SignInAsync();
                await HttpClerk.PostAsync(client, $"/api/cases/{s.Id}/review", new { items = materials });
                await HttpClerk.PostAsync(client, $"/api/cases/{s.Id}/accept", new
                {
                    opinion = "材料齐全，予以受理", decideNow = decide?.ToName(), decisionOpinion = decision, decisionData = entered,
                });
                await using var db = _host.CreateDbContext();
                return await db.Cases.AsNoTracking().SingleAsync(c => c.Id == s.Id);
            });
            _report.Add("http:accept");
        }
        else
        {
            var command = new AcceptCase.Command(s.Id, "材料齐全，予以受理", null, decide, decision, materials, entered);
            if (Chance(0.01))
            {
                // The clerk's request is aborted with the acceptance written and the commit next; the clerk then accepts again.
                await AbandonAsync("accept", s.Id, (sp, ct) => sp.GetRequiredService<AcceptCase.Handler>().HandleAsync(command, clerk, ct));
            }

            if (Chance(0.04))
            {
                // Both clerks accept the same filing at the same moment: one acceptance, the other told so in Chinese.
                var rival = _staff.Clerks.First(x => x.UserId != clerk.UserId);
                var (a, b) = await RaceAsync("accept", sp => sp.GetRequiredService<AcceptCase.Handler>().HandleAsync(command, clerk),
                    sp => sp.GetRequiredService<AcceptCase.Handler>().HandleAsync(command, rival));
                s.Current = OneWinner("accept", a, b);
                _report.Add("act:accept");
            }
            else
            {
                s.Current = await RunAsync("accept", sp => sp.GetRequiredService<AcceptCase.Handler>().HandleAsync(command, clerk));
            }
        }

        _report.Add("accepted");
        if (s.Current.State is CaseState.Handling)
        {
            s.Stage = Stage.Handling;
            s.NextAt = s.Matter.Kind == MatterKind.Immediate ? Now : NextWorkingDay(14);
        }
        else
        {
            s.Stage = Stage.Conclusion;
            s.NextAt = Now;
        }
    }

    private async Task HandleAsync(SimCase s)
    {
        var lead = s.Current.LeadDepartment;
        var officer = _staff.Officers[lead][0];
        var head = _staff.Heads[lead];
        if (s.WithdrawLate && Chance(0.3))
        {
            s.WithdrawLate = false;
            s.Current = await RunAsync("withdraw", sp => sp.GetRequiredService<WithdrawCase.Handler>().HandleAsync(new WithdrawCase.Command(s.Id, "申请人主动撤回"), s.Filer));
            s.Stage = Stage.Conclusion;
            s.NextAt = Now;
            return;
        }

        if (s.Special == 2)
        {
            s.Current = await RunAsync("end-special", sp => sp.GetRequiredService<SpecialProcedureActs.Handler>().EndAsync(new SpecialProcedureActs.EndCommand(s.Id, "专家评审通过"), officer));
            s.Special = 3;
        }
        else if (s.Special == 1 && s.Current.State == CaseState.Handling)
        {
            s.Current = await RunAsync("start-special", sp => sp.GetRequiredService<SpecialProcedureActs.Handler>().StartAsync(
                new SpecialProcedureActs.StartCommand(s.Id, Pick(SpecialProcedureActs.Kinds), "需组织专家评审，评审时间不计入办理时限"), officer));
            s.Special = 2;
            s.NextAt = NextWorkingDay(14, _random.Next(3, 9));
            return;
        }

        if (s.Extension == 1)
        {
            s.Current = await RunAsync("request-extension", sp => sp.GetRequiredService<ExtensionActs.Handler>().RequestAsync(new ExtensionActs.RequestCommand(s.Id, "现场核查需协调多个部门"), officer));
            s.Extension = 2;
            s.NextAt = NextWorkingDay(14);
            return;
        }

        if (s.Extension == 2)
        {
            // A short year may see few extensions: once two were approved, the next is refused if none was yet.
            var approve = Chance(0.7) && !(_report.Count("act:reject-extension") == 0 && _report.Count("act:approve-extension") >= 2);
            s.Current = await RunAsync(approve ? "approve-extension" : "reject-extension", sp => sp.GetRequiredService<ExtensionActs.Handler>().AnswerAsync(
                new ExtensionActs.AnswerCommand(s.Id, approve, approve ? "同意延期" : "理由不充分"), head));
            s.Extension = 3;
        }

        if (s.Late && s.Current.OpenSteps.Any())
        {
            // The officer lets it lie past its due moment: the scan raises its cards.
            s.Late = false;
            var due = s.Current.OpenSteps.Max(x => x.Deadline.DueAt) ?? Now;
            s.NextAt = due.AddDays(_random.Next(1, 4));
            return;
        }

        var definition = await RunAsync("definition", async sp => (await sp.GetRequiredService<WorkflowCatalog>().OfCaseAsync(s.Current))!);
        var open = s.Current.OpenSteps.OrderBy(x => x.WorkItemId, StringComparer.Ordinal).ToList();
        if (open.Count > 1 && open[0].BranchId is not null && open[1].BranchId is not null && open[0].Department != open[1].Department && Chance(0.3))
        {
            await ActOnBranchesAtOnceAsync(s, definition, open[0], open[1]);
            open = open.Skip(2).ToList();
        }

        foreach (var step in open)
        {
            if (s.Current.State != CaseState.Handling || !s.Current.OpenSteps.Any(x => x.WorkItemId == step.WorkItemId))
            {
                break;
            }

            await ActOnStepAsync(s, definition, step);
        }

        if (s.Current.State is CaseState.Handling or CaseState.Suspended)
        {
            s.NextAt = Chance(0.75) ? NextWorkingDay(14) : NextWorkingDay(14, 2);
        }
        else
        {
            s.Stage = Stage.Conclusion;
            s.NextAt = NextWorkingDay(16, 0) > Now ? Now : Now;
        }
    }

    private async Task ActOnStepAsync(SimCase s, WorkflowDefinition definition, CaseStep step)
    {
        var (actor, command) = await PrepareStepAsync(s, definition, step);
        s.Current = await RunAsync($"{command.Outcome.ToName()} {step.Title}", sp => sp.GetRequiredService<ActOnTask.Handler>().HandleAsync(command, actor));
        _report.Add("outcome:" + command.Outcome.ToName());
        _report.Add("step:" + (definition.FindStep(step.StepId)?.GetType().Name ?? "?"));
    }

    /// <summary>
    /// Two departments act on two branches of a joint approval at the same moment. Both touch the case, so one of them
    /// saves first and the store runs the other again on fresh data: both approvals must stand. A denial or a return may
    /// end the step under the other, which is then told so.
    /// </summary>
    private async Task ActOnBranchesAtOnceAsync(SimCase s, WorkflowDefinition definition, CaseStep one, CaseStep two)
    {
        var (actorA, commandA) = await PrepareStepAsync(s, definition, one);
        var (actorB, commandB) = await PrepareStepAsync(s, definition, two);
        var (a, b) = await RaceAsync("branches", sp => sp.GetRequiredService<ActOnTask.Handler>().HandleAsync(commandA, actorA),
            sp => sp.GetRequiredService<ActOnTask.Handler>().HandleAsync(commandB, actorB));
        if (commandA.Outcome == Outcome.Approve && commandB.Outcome == Outcome.Approve ? !a.Won || !b.Won : !a.Won && !b.Won)
        {
            throw Fail($"two branches acted on at once ({commandA.Outcome.ToName()}, {commandB.Outcome.ToName()}) of case {s.Current.Number}: " +
                $"{a.Refused?.Message ?? "saved"} / {b.Refused?.Message ?? "saved"}");
        }

        foreach (var (side, command, step) in new[] { (a, commandA, one), (b, commandB, two) }.Where(x => x.Item1.Won))
        {
            _report.Add("act:" + command.Outcome.ToName());
            _report.Add("outcome:" + command.Outcome.ToName());
            _report.Add("step:" + (definition.FindStep(step.StepId)?.GetType().Name ?? "?"));
        }

        await using var db = _host.CreateDbContext();
        s.Current = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == s.Id);
    }

    /// <summary>Who acts on a step and with what: a reassignment or a claim first (sometimes a race for it), the step's fields filled.</summary>
    private async Task<(CaseActor Actor, ActOnTask.Command Command)> PrepareStepAsync(SimCase s, WorkflowDefinition definition, CaseStep step)
    {
        var instance = s.Current.Instance();
        var signed = instance.Votes.Select(v => v.ActorId).ToHashSet();
        var candidates = step.Role switch
        {
            Roles.Clerk => _staff.Clerks,
            Roles.DepartmentHead => [_staff.Heads[step.Department]],
            _ => [.. _staff.Officers[step.Department], _staff.Heads[step.Department]],
        };
        var eligible = candidates.Where(a => !signed.Contains(a.UserId) && s.Current.SeparationConflict(definition, step, a.UserId, a.Is(Roles.DepartmentHead)) is null).ToList();
        if (eligible.Count == 0)
        {
            throw Fail($"nobody of {step.Department} may act on {step.Title} ({step.Role}) of case {s.Current.Number}; done before: " +
                string.Join(", ", s.Current.Steps.Where(x => !x.IsOpen).Select(x => $"{x.Title} {x.Outcome} by {x.ActorName}")));
        }

        var actor = eligible[0];
        if (s.Reassign && step.Role == Roles.Officer && eligible.Count > 1)
        {
            s.Reassign = false;
            actor = eligible[1];
            var head = _staff.Heads[step.Department];
            s.Current = await RunAsync("assign", sp => sp.GetRequiredService<AssignTask.Handler>().HandleAsync(new AssignTask.Command(s.Id, step.WorkItemId, actor.UserId), head));
        }
        else if (Chance(0.3) && step.Role != Roles.Clerk)
        {
            if (eligible.Count > 1 && Chance(0.3))
            {
                // Two officers take the same task at the same moment: one has it, the other is told who.
                var rival = eligible[1];
                var first = actor;
                var (a, b) = await RaceAsync("claim", sp => sp.GetRequiredService<ClaimTask.Handler>().HandleAsync(new ClaimTask.Command(s.Id, step.WorkItemId), first),
                    sp => sp.GetRequiredService<ClaimTask.Handler>().HandleAsync(new ClaimTask.Command(s.Id, step.WorkItemId), rival));
                s.Current = OneWinner("claim", a, b);
                actor = a.Won ? first : rival;
                _report.Add("act:claim");
            }
            else
            {
                s.Current = await RunAsync("claim", sp => sp.GetRequiredService<ClaimTask.Handler>().HandleAsync(new ClaimTask.Command(s.Id, step.WorkItemId), actor));
            }
        }

        var part = definition.FindStep(step.StepId) as HumanStep;
        var outcome = Outcome.Approve;
        if (s.Deny && part?.Allows(Outcome.Deny) == true)
        {
            outcome = Outcome.Deny;
        }
        else if (s.ReturnOnce && part?.Allows(Outcome.Return) == true && step.BranchId is null && part is TaskStep)
        {
            s.ReturnOnce = false;
            outcome = Outcome.Return;
        }

        var data = StepValues(s, definition.FieldsOf(step.StepId, step.BranchId));
        var opinion = outcome switch { Outcome.Deny => "不符合法定条件，不予许可", Outcome.Return => "核查情况不清，退回补充", _ => "同意" };
        if (Chance(0.005))
        {
            await AbandonAsync("act-on-task", s.Id, (sp, ct) => sp.GetRequiredService<ActOnTask.Handler>().HandleAsync(
                new ActOnTask.Command(s.Id, step.WorkItemId, outcome, opinion, data), actor, ct));
        }

        return (actor, new ActOnTask.Command(s.Id, step.WorkItemId, outcome, opinion, data));
    }

    /// <summary>What an officer enters for a step's fields: every required one, and most of the others.</summary>
    private Dictionary<string, string> StepValues(SimCase s, IReadOnlyList<StepField> fields)
    {
        var data = new Dictionary<string, string>();
        foreach (var f in fields.Where(f => f.Required || Chance(0.6)))
        {
            data[f.Key] = f.Type switch
            {
                FieldKind.Number => _random.Next(1, 100000).ToString(CultureInfo.InvariantCulture),
                FieldKind.Date => IndependentCalendar.LocalDay(Now).AddYears(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                FieldKind.Select => Pick(f.Options),
                FieldKind.Text => $"{s.Current.Number}-{f.Key}",
                FieldKind.Textarea => $"经审查，{s.Applicant.Name}的申请材料齐全。",
                FieldKind.Phone => s.Applicant.Phone,
                FieldKind.IdCard => People.ResidentId(_random),
                FieldKind.CreditCode => People.CreditCode(_random),
            };
        }

        return data;
    }

    private async Task ConcludeAsync(SimCase s)
    {
        var clerk = Pick(_staff.Clerks);
        var c = s.Current;
        switch (c.State)
        {
            case CaseState.Approved when c.CertificateType is not null:
                s.Current = await RunAsync("issue-certificate", sp => sp.GetRequiredService<IssueCertificate.Handler>().HandleAsync(new IssueCertificate.Command(s.Id), clerk));
                _report.Add("certificate:" + c.CertificateType);
                await CertificateLifeAsync(s);
                s.NextAt = NextWorkingDay(16);
                return;
            case CaseState.Approved or CaseState.CertificateIssued or CaseState.Denied or CaseState.Reported or CaseState.NotAccepted when !s.Delivered:
                s.Current = await RunAsync("deliver", sp => sp.GetRequiredService<DeliverCase.Handler>().HandleAsync(new DeliverCase.Command(s.Id, Pick(DeliverCase.Methods)), clerk));
                s.Delivered = true;
                s.NextAt = NextWorkingDay(16, s.LateArchive ? 12 : _random.Next(1, 6));
                return;
            case CaseState.Delivered or CaseState.NotAccepted or CaseState.Withdrawn:
                var files = new[] { "申请材料", c.State == CaseState.NotAccepted ? "不予受理通知书" : "审批决定书" };
                s.Current = await RunAsync("archive", sp => sp.GetRequiredService<ArchiveCase.Handler>().HandleAsync(new ArchiveCase.Command(s.Id, files, 30, "档案室A柜"), clerk));
                _report.Add("final:" + s.Current.State);
                s.Stage = Stage.Done;
                await FeedbackAsync(s);
                return;
            default:
                throw Fail($"case {c.Number} is {c.State} in the conclusion stage");
        }
    }

    /// <summary>Some certificates are reprinted, revoked or cancelled, in any order across types and departments.</summary>
    private async Task CertificateLifeAsync(SimCase s)
    {
        await using var db = _host.CreateDbContext();
        var record = await db.Certificates.AsNoTracking().SingleAsync(r => r.CaseId == s.Id);
        if (Chance(0.05))
        {
            await RunAsync("reprint", async sp => await sp.GetRequiredService<CertificateActs.Handler>().RecordReprintAsync(s.Id, Pick(_staff.Clerks)));
        }

        var roll = _random.Next(100);
        if (roll < 3)
        {
            await RunAsync("revoke", async sp => await sp.GetRequiredService<CertificateActs.Handler>().ChangeStatusAsync(
                new CertificateActs.ChangeStatus(record.Id, CertificateStatus.Revoked, "申请人以欺骗手段取得许可"), _staff.Heads[s.Current.LeadDepartment]));
        }
        else if (roll < 5)
        {
            await RunAsync("cancel", async sp => await sp.GetRequiredService<CertificateActs.Handler>().ChangeStatusAsync(
                new CertificateActs.ChangeStatus(record.Id, CertificateStatus.Cancelled, "持证人申请注销"), _staff.Heads[s.Current.LeadDepartment]));
        }
    }

    private async Task FeedbackAsync(SimCase s)
    {
        if (s.Channel != "online" || s.Current.ConcludedAt is null || s.Current.State == CaseState.Withdrawn)
        {
            return;
        }

        if (Chance(0.5))
        {
            var level = _random.Next(1, 6);
            await RunAsync("rate", sp => sp.GetRequiredService<Feedback.Handler>().RateAsync(new Feedback.RateCommand(s.Id, level, level <= 2 ? "等待时间太长" : "办事方便"), s.Filer));
        }

        // A complaint only where the portal offers one (accepted or refused, or the window's review overdue: Feedback.MayComplain).
        if (Chance(0.04) && Feedback.MayComplain(s.Current, Now))
        {
            await RunAsync("complain", sp => sp.GetRequiredService<Feedback.Handler>().ComplainAsync(new Feedback.ComplainCommand(s.Id, "窗口工作人员态度不好，要求多次提交同一材料"), s.Filer));
        }
    }

    // ---- 差评整改 ------------------------------------------------------------------------------------

    /// <summary>
    /// The departments answer their 差评: a call-back, then fixed or explained; the applicant confirms, or contests once, which
    /// reopens it on a second clock (decision 0069). Some are left to run late, so the scan cards both rounds.
    /// </summary>
    private async Task RectificationsDayAsync()
    {
        List<Core.Ratings.Rectification> open;
        await using (var db = _host.CreateDbContext())
        {
            open = await db.Rectifications.AsNoTracking()
                .Where(r => r.State != Core.Ratings.RectificationState.Confirmed && r.State != Core.Ratings.RectificationState.Voided)
                .OrderBy(r => r.Id).ToListAsync();
        }

        foreach (var r in open)
        {
            var officer = _staff.Officers.TryGetValue(r.Department, out var officers) && officers.Count > 0 ? officers[0]
                : _staff.Heads.GetValueOrDefault(r.Department);
            if (officer is null)
            {
                continue;
            }

            Task Act(string act, Func<Rectifications.Handler, Task> body) => RunAsync(act, sp => body(sp.GetRequiredService<Rectifications.Handler>()));
            switch (r.State)
            {
                case Core.Ratings.RectificationState.Open when Chance(0.4):
                    await Act("rectify-callback", h => h.CallBackAsync(new(r.Id, Now.AddMinutes(-30), "申请人本人", "电话回访，了解申请人的诉求"), officer));
                    break;
                case Core.Ratings.RectificationState.CalledBack or Core.Ratings.RectificationState.Reopened when Chance(0.4):
                    var resolution = Chance(0.7) ? Core.Ratings.RectificationResolution.Fixed : Core.Ratings.RectificationResolution.Explained;
                    await Act("rectify-resolve", h => h.ResolveAsync(new(r.Id, resolution, "已改进窗口告知方式并当面向申请人说明"), officer));
                    break;
                case Core.Ratings.RectificationState.Resolved when _cases.TryGetValue(r.CaseId, out var s):
                    if (!r.Contested && Chance(0.25))
                    {
                        await Act("rectify-contest", h => h.ContestAsync(new(r.Id, "整改结果没有解决我的问题"), s.Filer));
                    }
                    else if (Chance(0.6))
                    {
                        await Act("rectify-confirm", h => h.ConfirmAsync(r.Id, s.Filer));
                    }

                    break;
            }
        }
    }

    // ---- supervisors -------------------------------------------------------------------------------

    private async Task SupervisorsDayAsync(DateOnly day)
    {
        await using var db = _host.CreateDbContext();
        var ordered = await db.SupervisionOrders.AsNoTracking().Where(o => o.CaseId != null).Select(o => o.CaseId!.Value).ToListAsync();
        var red = await db.SupervisionCards.AsNoTracking().Where(c => c.Kind == CardKind.Red && c.ClosedAt == null && !ordered.Contains(c.CaseId))
            .OrderBy(c => c.CaseId).ThenBy(c => c.SubjectKey).Select(c => c.CaseNumber).FirstOrDefaultAsync();
        if (red is not null && Chance(0.5))
        {
            await RunAsync("issue-order", sp => sp.GetRequiredService<SupervisionOrders.Handler>().IssueAsync(
                new SupervisionOrders.IssueCommand(red, null, "该件已超期，请说明原因并限期办结", day.AddDays(3)), _staff.Supervisor));
        }

        var open = await db.SupervisionOrders.AsNoTracking().Where(o => o.RespondedAt == null && o.IssuedAt < Now.AddHours(-12)).OrderBy(o => o.Id).ToListAsync();
        foreach (var order in open.Where(_ => Chance(0.35)))
        {
            await RunAsync("respond-order", sp => sp.GetRequiredService<SupervisionOrders.Handler>().RespondAsync(
                new SupervisionOrders.RespondCommand(order.Id, "已加派人手，限期办结", []), _staff.Heads[order.Department]));
        }

        var answered = await db.SupervisionOrders.AsNoTracking().Where(o => o.RespondedAt != null && o.ClosedAt == null && o.RespondedAt < Now.AddHours(-20)).OrderBy(o => o.Id).ToListAsync();
        foreach (var order in answered)
        {
            await RunAsync("close-order", sp => sp.GetRequiredService<SupervisionOrders.Handler>().CloseAsync(new SupervisionOrders.CloseCommand(order.Id, "已核实"), _staff.Supervisor));
        }
    }

    // ---- line systems --------------------------------------------------------------------------------

    /// <summary>A case handled in the police line system: its events, each pushed at its own moment (late, twice or out of order by the seed).</summary>
    private sealed record ExternalEvent(string EventId, string Step, DateTimeOffset OccurredAt, DateTimeOffset PushAt);

    private sealed class ExternalCase
    {
        public required string Id { get; init; }

        public required string MatterCode { get; init; }

        public required Person Applicant { get; init; }

        public List<ExternalEvent> Events { get; } = [];
    }

    private async Task LineSystemDayAsync(DateOnly day)
    {
        var ga = _matters.Where(m => m.Department?.Code == "GA").ToList();
        if (ga.Count > 0 && Chance(Math.Min(0.9, _options.Cases / 4000.0)))
        {
            var e = new ExternalCase { Id = $"GA-{day:yyyyMMdd}-{_external.Count:0000}", MatterCode = Pick(ga).Code, Applicant = People.Next(_random, false) };
            string[] steps = Chance(0.85) ? ["收件", "受理", "审查", "准予", "发证"] : ["收件", "受理", "审查", "不予许可"];
            var at = Now;
            foreach (var step in steps)
            {
                var push = Chance(0.1) ? at.AddDays(2) : at; // late
                e.Events.Add(new ExternalEvent($"{e.Id}-{e.Events.Count}", step, at, push));
                if (Chance(0.08))
                {
                    e.Events.Add(new ExternalEvent($"{e.Id}-{e.Events.Count - 1}", step, at, push.AddHours(2))); // twice
                }

                at = at.AddDays(1);
            }

            if (Chance(0.1) && e.Events.Count > 2)
            {
                // Out of order: the second event is pushed before the first.
                var (a, b) = (e.Events[0], e.Events[1]);
                e.Events[0] = a with { PushAt = b.PushAt.AddHours(1) };
            }

            _external.Add(e);
        }

        var pusher = _staff.System;
        foreach (var (e, ev) in _external.SelectMany(e => e.Events.Select(ev => (e, ev))).Where(x => x.ev.PushAt <= Now).OrderBy(x => x.ev.PushAt).ThenBy(x => x.ev.EventId).ToList())
        {
            e.Events.Remove(ev);
            var command = new PushCaseState.Command
            {
                EventId = ev.EventId, CaseId = e.Id, MatterCode = e.MatterCode, Step = ev.Step, Opinion = ev.Step == "不予许可" ? "不符合条件" : "同意",
                OccurredAt = ev.OccurredAt, Actor = new PushCaseState.ActorInput("ga-01", "公安经办人"),
                Applicant = new PushCaseState.ApplicantInput(e.Applicant.Name, "ResidentId", e.Applicant.IdNumber, e.Applicant.Phone, e.Applicant.Address),
            };
            var result = await RunAsync($"push {ev.Step}", sp => sp.GetRequiredService<PushCaseState.Handler>().HandleAsync(pusher, command));
            _report.Add("push:" + result.Status + (result.Duplicate ? "/duplicate" : ""));
        }
    }
}
