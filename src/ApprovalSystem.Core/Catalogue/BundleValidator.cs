namespace ApprovalSystem.Core.Catalogue;

/// <summary>
/// The rules every bundle obeys, wherever it comes from (the seed file, an administrator's edit, an imported workbook), in Chinese
/// because administrators read them: its members exist and are published, none twice, waits only within the bundle and without a
/// cycle, conditions that check, and a merged form and materials list that cover every member's required fields and materials.
/// </summary>
public static class BundleValidator
{
    /// <summary>What is wrong with <paramref name="bundle"/> given the catalogue's matters (by code) and department codes.</summary>
    public static IReadOnlyList<string> Problems(BundleData bundle, IReadOnlyCollection<MatterData> matters, IReadOnlySet<string> departments)
    {
        var p = new List<string>();
        if (string.IsNullOrWhiteSpace(bundle.Code) || bundle.Code.Trim().Length > 40)
        {
            p.Add("一件事编码不能为空，且不超过40个字符");
        }

        if (string.IsNullOrWhiteSpace(bundle.Name) || bundle.Name.Trim().Length > 100)
        {
            p.Add("一件事名称不能为空，且不超过100个字");
        }

        if (string.IsNullOrWhiteSpace(bundle.LifeEvent))
        {
            p.Add("请填写一件事对应的生命周期事件（如企业开办、出生）");
        }

        if (!departments.Contains(bundle.Department.Trim()))
        {
            p.Add($"牵头部门编码“{bundle.Department}”不存在");
        }

        if (bundle.PromisedLimitDays is < 0 or > 365)
        {
            p.Add("一件事承诺时限应为0至365个工作日");
        }

        if (!Enum.IsDefined(bundle.OnRefusal))
        {
            p.Add("成员事项不予受理或不予许可时的处理规则无效");
        }

        var resolved = new List<(BundleMember Member, MatterData Matter)>();
        foreach (var m in bundle.Members)
        {
            var matches = matters.Where(x => BundleData.Names(m.Matter, x.Code)).ToList();
            if (matches.Count != 1)
            {
                p.Add(matches.Count == 0 ? $"成员事项“{m.Matter}”不存在" : $"成员事项编码“{m.Matter}”不唯一，请写完整编码");
                continue;
            }

            var matter = matches[0];
            if (!matter.IsPublished)
            {
                p.Add($"成员事项“{matter.Name}”未发布，不能列入一件事");
            }

            if (resolved.Any(r => r.Matter.Code == matter.Code))
            {
                p.Add($"成员事项“{matter.Name}”重复");
                continue;
            }

            if (m.Optional != !string.IsNullOrWhiteSpace(m.When))
            {
                p.Add(m.Optional ? $"可选成员事项“{matter.Name}”须写明选用情形" : $"必选成员事项“{matter.Name}”不能设选用情形（可选事项请勾选“可选”）");
            }

            resolved.Add((m, matter));
        }

        if (resolved.Count < 2)
        {
            p.Add("一件事至少应有两个成员事项");
        }

        foreach (var (member, matter) in resolved)
        {
            foreach (var a in member.After.Where(a => !resolved.Any(r => BundleData.Names(a, r.Matter.Code))))
            {
                p.Add($"成员事项“{matter.Name}”等待的“{a}”不是本一件事的成员");
            }

            if (member.After.Any(a => BundleData.Names(a, matter.Code)))
            {
                p.Add($"成员事项“{matter.Name}”不能等待自身");
            }
        }

        if (Cycle(resolved) is { } cycle)
        {
            p.Add($"成员事项的先后顺序成环：{cycle}");
        }

        p.AddRange(Situations.Check(bundle.Situations,
            resolved.Select(r => ($"成员事项“{r.Matter.Name}”", r.Member.When))
                .Concat(bundle.FormFields.Select(f => ($"合并表单字段“{f.Label}”", f.When)))
                .Concat(bundle.Materials.Select(x => ($"合并材料“{x.Name}”", x.When)))));

        p.AddRange(FieldProblems(bundle, resolved));
        p.AddRange(MaterialProblems(bundle, resolved));
        return p;
    }

    private static IEnumerable<string> FieldProblems(BundleData bundle, List<(BundleMember Member, MatterData Matter)> resolved)
    {
        foreach (var f in bundle.FormFields)
        {
            if (string.IsNullOrWhiteSpace(f.Key) || string.IsNullOrWhiteSpace(f.Label))
            {
                yield return "合并表单字段的键和名称不能为空";
            }

            foreach (var r in f.Maps)
            {
                if (MergedField.Target(r) is not (var code, var key)
                    || resolved.FirstOrDefault(x => BundleData.Names(code, x.Matter.Code)) is not { Matter: { } matter })
                {
                    yield return $"合并表单字段“{f.Label}”映射的“{r}”不是成员事项的字段（应写作 事项编码:字段键）";
                }
                else if (matter.FormFields.All(x => x.Key != key))
                {
                    yield return $"合并表单字段“{f.Label}”映射的字段“{key}”不在事项“{matter.Name}”的申请表中";
                }
            }
        }

        foreach (var dup in bundle.FormFields.GroupBy(f => f.Key.Trim()).Where(g => g.Count() > 1))
        {
            yield return $"合并表单字段键“{dup.Key}”重复";
        }

        // Coverage: every required member field is filled by the merged form or by a prefill source.
        foreach (var (_, matter) in resolved)
        {
            var missing = matter.FormFields.Where(x => x.Required && string.IsNullOrWhiteSpace(x.Prefill)
                    && !bundle.FormFields.Any(f => f.Maps.Any(r =>
                        MergedField.Target(r) is (var code, var key) && key == x.Key && BundleData.Names(code, matter.Code))))
                .Select(x => $"{x.Label}（{x.Key}）").ToList();
            if (missing.Count > 0)
            {
                yield return $"合并表单未覆盖事项“{matter.Name}”的必填字段：{string.Join("、", missing)}";
            }
        }
    }

    private static IEnumerable<string> MaterialProblems(BundleData bundle, List<(BundleMember Member, MatterData Matter)> resolved)
    {
        foreach (var x in bundle.Materials)
        {
            if (string.IsNullOrWhiteSpace(x.Name))
            {
                yield return "合并材料名称不能为空";
            }

            foreach (var r in x.StandsFor)
            {
                if (MergedField.Target(r) is not (var code, var name)
                    || resolved.FirstOrDefault(m => BundleData.Names(code, m.Matter.Code)) is not { Matter: { } matter })
                {
                    yield return $"合并材料“{x.Name}”对应的“{r}”不是成员事项的材料（应写作 事项编码:材料名称）";
                }
                else if (matter.Materials.All(m => m.Name != name))
                {
                    yield return $"合并材料“{x.Name}”对应的“{name}”不在事项“{matter.Name}”的材料清单中";
                }
            }
        }

        foreach (var x in bundle.Materials.Where(x => x.From.Count > 0))
        {
            foreach (var from in x.From.Where(f => !resolved.Any(r => BundleData.Names(f, r.Matter.Code))))
            {
                yield return $"合并材料“{x.Name}”的来源事项“{from}”不是本一件事的成员";
            }

            if (x.Required)
            {
                yield return $"合并材料“{x.Name}”由成员事项办结后共享，不能设为申请人必交";
            }
        }

        foreach (var dup in bundle.Materials.GroupBy(m => m.Name.Trim()).Where(g => g.Count() > 1))
        {
            yield return $"合并材料“{dup.Key}”重复";
        }

        // A member's material needed only in a situation (decision 0055) counts when the bundle asks every question its condition
        // names; a situation the bundle does not ask about never arises in it (a missing answer makes a comparison false).
        var asked = bundle.Situations.Select(q => q.Key.Trim()).ToHashSet(StringComparer.Ordinal);
        bool Arises(string? when) => string.IsNullOrWhiteSpace(when)
            || (ApprovalSystem.Workflows.Conditions.ConditionParser.Parse(when) is { Succeeded: true, Condition: { } c } && c.Fields().All(asked.Contains));
        foreach (var (_, matter) in resolved)
        {
            var missing = matter.Materials.Where(m => m.Required && Arises(m.When)
                    && !bundle.Materials.Any(x => BundleData.MemberMaterials(x, matter.Code).Contains(m.Name)))
                .Select(m => m.Name).ToList();
            if (missing.Count > 0)
            {
                yield return $"合并材料清单未覆盖事项“{matter.Name}”的必需材料：{string.Join("、", missing)}";
            }
        }
    }

    /// <summary>A cycle of waits, named by the matters in it, or null.</summary>
    private static string? Cycle(List<(BundleMember Member, MatterData Matter)> resolved)
    {
        var state = new Dictionary<string, int>();
        var path = new List<string>();
        string? found = null;

        void Visit(BundleMember member, MatterData matter)
        {
            if (found is not null)
            {
                return;
            }

            state[matter.Code] = 1;
            path.Add(matter.Name);
            foreach (var a in member.After)
            {
                if (resolved.FirstOrDefault(r => BundleData.Names(a, r.Matter.Code)) is not { Matter: { } next } target || next.Code == matter.Code)
                {
                    continue;
                }

                if (state.GetValueOrDefault(next.Code) == 1)
                {
                    found = string.Join(" → ", path.SkipWhile(n => n != next.Name).Append(next.Name));
                    return;
                }

                if (state.GetValueOrDefault(next.Code) == 0)
                {
                    Visit(target.Member, next);
                }
            }

            path.RemoveAt(path.Count - 1);
            state[matter.Code] = 2;
        }

        foreach (var (member, matter) in resolved)
        {
            if (state.GetValueOrDefault(matter.Code) == 0)
            {
                Visit(member, matter);
            }
        }

        return found;
    }
}
