using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

using ApprovalSystem.Web.Infrastructure;

namespace ApprovalSystem.Web.Features.Cases.Notifications;

/// <summary>
/// Turns what an act did into in-app notifications, written in the same save as the case: the
/// applicant (or the agent) hears about acceptance, supplements and decisions; a department hears
/// about a step arriving; an officer hears about an assignment.
/// </summary>
public sealed class CaseNotifier(ReferenceCache cache) : ICaseActWriter
{
    public Task WriteAsync(CaseActWrite act, CancellationToken ct) => AddAsync(act.Db, act.Case, act.Records, act.StepsBefore, act.Now, ct, cache);

    public static async Task AddAsync(AppDbContext db, Case c, IReadOnlyList<CaseRecord> records, IReadOnlyCollection<string> stepsBefore, DateTimeOffset now,
        CancellationToken ct, ReferenceCache? cache = null)
    {
        var link = $"/cases/{c.Id}";
        var filers = new[] { c.OwnerUserId, c.AgentUserId }.Where(u => u is not null).Cast<string>().Distinct().ToList();
        var notes = new List<Notification>();

        // In a bundle's act 一件事 the bundle tells the applicant once (decision 0054); the departments still hear of their steps.
        void ToFilers(string title, string body) => notes.AddRange(filers.Where(_ => !Bundles.BundleStore.InBundleAct)
            .Select(u => New(u, title, body, link, records[^1].At)));

        // 秒批: filed, accepted and approved in one act — one message that says it is done, not three that promise a wait.
        var automatic = records.Any(r => r.Action == CaseTrigger.AutoApprove);
        if (automatic)
        {
            ToFilers("秒批已办结", $"您的“{c.MatterName}”（{c.Number}）已由秒批系统按已发布的规则自动审批：准予许可。"
                + (c.CertificateNumber is null ? "可在办件页面下载准予许可决定书。" : $"证照（{c.CertificateNumber}）已生成，可在办件页面下载。"));
        }

        foreach (var r in records.Where(_ => !automatic))
        {
            switch (r.Action)
            {
                case CaseTrigger.Submit when c.QueryCode is not null:
                    ToFilers("已提交", SubmittedText(c));
                    break;
                case CaseTrigger.Accept:
                    ToFilers("申请已受理", $"您的“{c.MatterName}”（{c.Number}）已受理，承诺{c.PromisedLimitDays}个工作日内办结。");
                    ToFilers(RatingInvitation, $"“{c.MatterName}”（{c.Number}）已受理，欢迎您在办件页面评价受理服务（好差评）。");
                    break;
                case CaseTrigger.Refuse:
                    ToFilers("不予受理", $"您的“{c.MatterName}”（{c.Number}）不予受理：{c.RefusalReason}");
                    ToFilers(RatingInvitation, $"“{c.MatterName}”（{c.Number}）已办结，请您在办件页面评价本次服务（好差评）。");
                    break;
                case CaseTrigger.RequestSupplement:
                    ToFilers("请补正材料", $"“{c.MatterName}”（{c.Number}）需补正：{string.Join("；", c.SupplementItems)}");
                    break;
                case CaseTrigger.ActOnTask when r.To is CaseState.Approved or CaseState.Denied or CaseState.Reported:
                    ToFilers("办件已办结", $"“{c.MatterName}”（{c.Number}）{CaseLifecycle.Name(r.To)}。");
                    ToFilers(RatingInvitation, $"“{c.MatterName}”（{c.Number}）已办结，请您在办件页面评价本次服务（好差评）。");
                    break;
                case CaseTrigger.StartSpecialProcedure:
                    ToFilers("进入特别程序", $"“{c.MatterName}”（{c.Number}）进入特别程序，期间不计入办理时限：{r.Opinion}");
                    break;
                case CaseTrigger.RevokeCertificate when r.Data.GetValueOrDefault("reason") == "falseCommitment":
                    ToFilers("撤销行政许可", $"“{c.MatterName}”（{c.Number}）经事中事后核查，承诺内容不实，已撤销许可及证照。请在办件页下载《撤销行政许可决定书》；"
                        + "不服的，可自收到之日起六十日内申请行政复议，或六个月内向人民法院提起行政诉讼。");
                    break;
                case CaseTrigger.Verify when r.Data.ContainsKey("dueAt"):
                    var verifiers = await StaffDirectory.UserIdsAsync(db, c.LeadDepartment, [Roles.Officer, Roles.DepartmentHead], ct);
                    notes.AddRange(verifiers.Select(u => New(u, "新的核查任务", $"{c.Number} {c.MatterName}：告知承诺事中事后核查，"
                        + $"{c.Commitment?.VerificationDays}个工作日内完成", "/work/verifications", r.At)));
                    break;
                case CaseTrigger.ApproveExtension:
                    ToFilers("办理期限延长", $"“{c.MatterName}”（{c.Number}）经批准延长办理期限。");
                    break;
                case CaseTrigger.Assign when r.Data.TryGetValue("to", out var to):
                    var assignee = c.Steps.FirstOrDefault(s => s.WorkItemId == r.Data.GetValueOrDefault("workItem"))?.AssigneeId;
                    if (assignee is not null)
                    {
                        notes.Add(New(assignee, "新分派的待办", $"{c.Number} {c.MatterName}：{r.Data.GetValueOrDefault("step")}", link, r.At));
                    }

                    break;
                default:
                    break;
            }
        }

        // Steps that opened with this act go to the department's staff of the step's role.
        var opened = c.OpenSteps.Where(s => !stepsBefore.Contains(s.WorkItemId)).ToList();
        foreach (var g in opened.GroupBy(s => (s.Department, s.Role)))
        {
            var department = g.Key.Department;
            var stepRole = g.Key.Role;
            // Officers' steps reach the department's heads too, who assign them.
            string[] roles = stepRole == Roles.Officer ? [stepRole, Roles.DepartmentHead] : [stepRole];
            var staff = cache is null
                ? await StaffDirectory.UserIdsAsync(db, department, roles, ct)
                : await cache.GetAsync($"{ReferenceCache.Staff}{department}:{string.Join(',', roles)}", () =>
                    StaffDirectory.UserIdsAsync(db, department, roles, ct));
            foreach (var user in staff)
            {
                notes.Add(New(user, "新的待办", $"{c.Number} {c.MatterName}：{string.Join("、", g.Select(s => s.Title))}", link,
                    records.Count > 0 ? records[^1].At : now));
            }
        }

        if (notes.Count > 0)
        {
            db.Notifications.AddRange(notes);
        }
    }

    /// <summary>The title of the invitation to rate 邀请评价 (GB/T 39734-2020: after acceptance and after conclusion).</summary>
    public const string RatingInvitation = "邀请您评价";

    /// <summary>The 已提交 message: the case number and query code to look the case up with, and what is still to hand in.</summary>
    internal static string SubmittedText(Case c)
    {
        var missing = c.MissingRequiredMaterials;
        return $"您的“{c.MatterName}”已提交，办件编号 {c.Number}，查询码 {c.QueryCode}（凭编号和查询码可在“办件查询”查看进度）。窗口将在5个工作日内审核。"
            + (missing.Count == 0 ? "" : $"尚缺材料：{string.Join("、", missing)}，请在办件页面上传或到窗口提交，窗口审核时将一次性告知需补正的内容。");
    }

    private static Notification New(string user, string title, string body, string link, DateTimeOffset at) =>
        new() { UserId = user, Title = title, Body = body.Length > 500 ? body[..500] : body, Link = link, CreatedAt = at };
}
