using System.Globalization;
using System.Text.Json;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Cases;

/// <summary>Filing 申报: a draft, its form and materials, and submitting it (Features/Cases/Filing).</summary>
public sealed partial class Case
{
    /// <summary>Starts a draft 草稿 of a filing by an applicant, an agent (for a resident) or a clerk (walk-in).</summary>
    /// <remarks>
    /// <paramref name="situation"/> holds the answers to the guide's questions 情形 (kept as far as they answer questions asked);
    /// they decide which of the matter's materials the case lists.
    /// </remarks>
    public static Case Draft(MatterSnapshot matter, ApplicantInfo applicant, IReadOnlyDictionary<string, string> formData, CaseActor actor, DateTimeOffset now,
        IReadOnlyDictionary<string, string>? situation = null)
    {
        var channel = actor.Is(Roles.Agent) ? CaseChannel.Agent : actor.Is(Roles.Clerk) ? CaseChannel.Window : CaseChannel.Online;
        if (channel == CaseChannel.Online && !actor.Is(Roles.Applicant))
        {
            throw new CaseRuleException("只有申请人、代办员或窗口工作人员可以提交申请");
        }

        var c = ForMatter(matter, applicant, channel, CaseState.Draft, actor.UserId, now, situation);
        c.OwnerUserId = channel == CaseChannel.Online ? actor.UserId : null;
        c.AgentUserId = channel == CaseChannel.Agent ? actor.UserId : null;
        c.AgentName = channel == CaseChannel.Agent ? actor.Name : null;
        c.StationCode = channel == CaseChannel.Agent ? actor.Station : null;
        c.FormData = new Dictionary<string, string>(formData);
        c.Record(CaseTrigger.SaveDraft, now, actor, null, CaseState.Draft, ("matter", matter.Code), ("channel", channel.ToString()),
            ("applicant", Masking.PersonName(applicant.Name)),
            ("agent", c.AgentName), ("station", c.StationCode),
            ("situation", c.Situation.Count == 0 ? null : JsonSerializer.Serialize(c.Situation, JournalJson)),
            ("form", c.FormData.Count == 0 ? null : JsonSerializer.Serialize(c.FormData.ToDictionary(f => f.Key, f => MaskedValue(f.Value)), JournalJson)));
        return c;
    }

    /// <summary>Chinese as written in the journal's JSON (not \u escapes), so a person reading the journal reads the values.</summary>
    private static readonly JsonSerializerOptions JournalJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A form value as the journal keeps it: a resident ID number or a mobile number masked, anything else as typed.</summary>
    private static string MaskedValue(string value) =>
        ResidentIdNumber.Validate(value, DateOnly.MaxValue) is null ? Masking.IdNumber(value) // the number's form, whatever its birth date
        : MobileNumber.Validate(value) is null ? Masking.Mobile(value)
        : value;

    /// <summary>A new case of a matter: the matter's snapshot (limits, fee, warning, workflow, materials) copied onto it.</summary>
    private static Case ForMatter(MatterSnapshot matter, ApplicantInfo applicant, CaseChannel channel, CaseState state, string createdBy,
        DateTimeOffset createdAt, IReadOnlyDictionary<string, string>? situation = null)
    {
        var answers = Situations.Normalise(matter.Situations, situation ?? new Dictionary<string, string>());
        return new()
        {
            MatterId = matter.Id,
            MatterCode = matter.Code,
            MatterName = matter.Name,
            Kind = matter.Kind,
            LeadDepartment = matter.Department,
            LegalLimitDays = matter.LegalLimitDays,
            PromisedLimitDays = matter.PromisedLimitDays,
            LegalFee = matter.Fee,
            CertificateType = matter.CertificateType,
            Warning = matter.Warning,
            WorkflowId = matter.WorkflowId,
            Channel = channel,
            State = state,
            Applicant = applicant,
            CreatedBy = createdBy,
            Materials = matter.MaterialsFor(answers).Select(m => new CaseMaterial { Name = m.Name, Required = m.Required }).ToList(),
            Situation = answers,
            CreatedAt = createdAt,
        };
    }

    /// <summary>
    /// Changes the draft's answers to the guide's questions: the checklist becomes the materials the new situation needs, keeping
    /// what was already handed in for a material still needed (a file uploaded for one no longer needed stays in the journal).
    /// </summary>
    public void AnswerSituation(MatterSnapshot matter, IReadOnlyDictionary<string, string> situation, CaseActor actor, DateTimeOffset now)
    {
        Guard(CaseTrigger.SaveDraft);
        RequireFiler(actor);
        if (matter.Code != MatterCode)
        {
            throw new CaseRuleException($"办件的事项是“{MatterName}”，不是“{matter.Name}”");
        }

        var answers = Situations.Normalise(matter.Situations, situation);
        var held = Materials.ToDictionary(m => m.Name);
        Situation = answers;
        Materials = matter.MaterialsFor(answers)
            .Select(m => held.TryGetValue(m.Name, out var kept) ? kept : new CaseMaterial { Name = m.Name, Required = m.Required }).ToList();
        WaiveReplacedMaterials();
        Record(CaseTrigger.SaveDraft, now, actor, null, State, ("situation", JsonSerializer.Serialize(answers, JournalJson)),
            ("materials", string.Join("、", Materials.Select(m => m.Name))));
    }

    /// <summary>Changes a draft's form data and applicant contact before filing.</summary>
    public void UpdateDraft(IReadOnlyDictionary<string, string> formData, ApplicantInfo applicant, CaseActor actor, DateTimeOffset now)
    {
        Guard(CaseTrigger.SaveDraft);
        RequireFiler(actor);
        var before = FormData;
        FormData = new Dictionary<string, string>(formData);
        Applicant = applicant;

        // What changed, value by value (identity and mobile numbers masked), so the journal shows how the draft came to be.
        var changed = FormData.Where(f => !before.TryGetValue(f.Key, out var old) || old != f.Value).ToDictionary(f => f.Key, f => MaskedValue(f.Value));
        var removed = before.Keys.Where(k => !FormData.ContainsKey(k)).ToList();
        Record(CaseTrigger.SaveDraft, now, actor, null, State, ("fields", FormData.Count.ToString(CultureInfo.InvariantCulture)),
            ("changed", changed.Count == 0 ? null : JsonSerializer.Serialize(changed, JournalJson)),
            ("removed", removed.Count == 0 ? null : string.Join(",", removed)));
    }

    /// <summary>Attaches a stored file to a material of the checklist (or marks a paper material received).</summary>
    public void AttachMaterial(string materialName, string? sha256, string? fileName, long? size, CaseActor actor, DateTimeOffset now)
    {
        Guard(CaseTrigger.AttachMaterial);

        if (!(IsFiler(actor) || actor.Is(Roles.Clerk)))
        {
            throw new CaseRuleException("只有申请人、代办员或窗口工作人员可以提交材料");
        }

        var index = Materials.FindIndex(m => m.Name == materialName);
        if (index < 0)
        {
            throw new CaseRuleException($"事项“{MatterName}”的材料清单中没有“{materialName}”");
        }

        Materials[index] = Materials[index] with { Received = true, FileSha256 = sha256, FileName = fileName, FileSize = size };
        Materials = [.. Materials];
        Record(CaseTrigger.AttachMaterial, now, actor, null, State, ("material", materialName), ("file", fileName), ("sha256", sha256));
    }

    /// <summary>Files the application 提交: it gets its number and query code and waits for the window.</summary>
    public void Submit(string number, string queryCode, CaseActor actor, DateTimeOffset now, WorkingTime time)
    {
        Guard(CaseTrigger.Submit);
        RequireFiler(actor);
        Number = number;
        QueryCode = queryCode;
        SubmittedAt = now;
        Review = Deadline.Start(now, ReviewLimitDays, new WarningPolicy(1, null), time);
        var missing = MissingRequiredMaterials;
        Move(CaseTrigger.Submit, CaseState.PreAcceptance, now, actor, null, ("number", number),
            ("missing", missing.Count == 0 ? null : string.Join("、", missing)));
    }

    /// <summary>
    /// The required materials not yet handed in (no file uploaded, not received at the window). They do not stop a filing:
    /// the window tells the applicant everything missing once (行政许可法 Art. 32; decision 0030); the filer sees the list
    /// before submitting, in the journal's submit record and in the 已提交 message.
    /// </summary>
    public IReadOnlyList<string> MissingRequiredMaterials => [.. Materials.Where(m => m.Required && !m.Received).Select(m => m.Name)];
}
