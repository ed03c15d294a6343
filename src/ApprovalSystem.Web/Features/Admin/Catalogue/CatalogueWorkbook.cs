using System.Globalization;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Workflows;
using MiniExcelLibs;

namespace ApprovalSystem.Web.Features.Admin.Catalogue;

/// <summary>A problem in an imported workbook, located the way a person finds it in Excel.</summary>
public sealed record WorkbookError(string Sheet, int Row, string Column, string Message)
{
    public override string ToString() => Row > 0 ? $"工作表“{Sheet}”第{Row}行“{Column}”列：{Message}" : $"工作表“{Sheet}”：{Message}";
}

/// <summary>
/// The matter catalogue as an Excel workbook, the way service centres keep their matter lists:
/// sheets 部门, 服务站, 事项, 材料, 表单字段 and 情形问题 (the guide's questions), one row per item, headers in Chinese.
/// </summary>
public static class CatalogueWorkbook
{
    public const string DepartmentsSheet = "部门";
    public const string StationsSheet = "服务站";
    public const string MattersSheet = "事项";
    public const string MaterialsSheet = "材料";
    public const string FieldsSheet = "表单字段";
    public const string SituationsSheet = "情形问题";
    public const string BundlesSheet = "一件事";
    public const string BundleMembersSheet = "一件事成员";
    public const string BundleSituationsSheet = "一件事情形";
    public const string BundleFieldsSheet = "一件事表单";
    public const string BundleMaterialsSheet = "一件事材料";

    private const string Yes = "是";
    private const string No = "否";

    // Column headers, keyed by the property name the validator reports.
    private static readonly (string Property, string Header)[] DepartmentColumns =
    [
        (nameof(DepartmentData.Code), "部门编码"), (nameof(DepartmentData.Name), "部门名称"), (nameof(DepartmentData.ShortName), "简称"),
        (nameof(DepartmentData.Window), "窗口"), (nameof(DepartmentData.Phone), "联系电话"), (nameof(DepartmentData.SupervisionContact), "监察联络员"),
    ];

    private static readonly (string Property, string Header)[] StationColumns =
    [
        (nameof(StationData.Code), "服务站编码"), (nameof(StationData.Name), "服务站名称"), (nameof(StationData.Phone), "联系电话"),
    ];

    private static readonly (string Property, string Header)[] MatterColumns =
    [
        (nameof(MatterData.Code), "事项编码"), (nameof(MatterData.Name), "事项名称"), (nameof(MatterData.Department), "部门编码"),
        (nameof(MatterData.Kind), "办件类型"), (nameof(MatterData.LegalLimitDays), "法定时限"), (nameof(MatterData.PromisedLimitDays), "承诺时限"),
        (nameof(MatterData.Fee), "收费标准"), (nameof(MatterData.FeeBasis), "收费依据"), (nameof(MatterData.LegalBasis), "设定依据"),
        (nameof(MatterData.Conditions), "申请条件"), (nameof(MatterData.Workflow), "流程定义"), (nameof(MatterData.CertificateType), "证照类型"),
        (nameof(MatterData.WarningDaysLeft), "预警剩余工作日"), (nameof(MatterData.WarningPercentUsed), "预警时限比例"), (nameof(MatterData.IsPublished), "是否公开"),
    ];

    private static readonly (string Property, string Header)[] MaterialColumns =
    [
        ("Matter", "事项编码"), (nameof(MaterialRequirement.Name), "材料名称"), (nameof(MaterialRequirement.Required), "是否必需"),
        (nameof(MaterialRequirement.Form), "材料形式"), (nameof(MaterialRequirement.Copies), "份数"), (nameof(MaterialRequirement.Condition), "适用情形"),
        (nameof(MaterialRequirement.When), "情形条件"),
    ];

    private static readonly (string Property, string Header)[] FieldColumns =
    [
        ("Matter", "事项编码"), (nameof(FormField.Key), "字段键"), (nameof(FormField.Label), "字段名称"), (nameof(FormField.Type), "字段类型"),
        (nameof(FormField.Required), "是否必填"), (nameof(FormField.Options), "选项"), (nameof(FormField.Unit), "单位"), (nameof(FormField.Prefill), "预填来源"),
        (nameof(FormField.MaxLength), "最长字数"), (nameof(FormField.RequiredWhen), "必填条件字段"), (nameof(FormField.RequiredWhenValues), "必填条件取值"),
        (nameof(FormField.When), "情形条件"),
    ];

    private static readonly (string Property, string Header)[] SituationColumns =
    [
        ("Matter", "事项编码"), (nameof(SituationQuestion.Key), "问题键"), (nameof(SituationQuestion.Text), "问题"),
        (nameof(SituationQuestion.Options), "回答选项"), (nameof(SituationQuestion.Help), "说明"), (nameof(SituationQuestion.When), "提问条件"),
    ];

    /// <summary>Columns added after workbooks were first handed out: a workbook without them still reads (the cells are empty).</summary>
    // Bundles 一件事 (decision 0057): one row per bundle, and its members, questions, merged fields and merged materials on their own
    // sheets keyed by the bundle's code. Lists inside a cell (waits, mappings, what a material stands for) are separated by "|".
    private static readonly (string Property, string Header)[] BundleColumns =
    [
        (nameof(BundleData.Code), "一件事编码"), (nameof(BundleData.Name), "一件事名称"), (nameof(BundleData.LifeEvent), "生命周期事件"),
        (nameof(BundleData.Department), "牵头部门编码"), (nameof(BundleData.PromisedLimitDays), "承诺时限"), (nameof(BundleData.OnRefusal), "成员未获准予时"),
        (nameof(BundleData.Description), "说明"), (nameof(BundleData.Replaces), "替代的联办事项"), (nameof(BundleData.IsPublished), "是否公开"),
    ];

    private static readonly (string Property, string Header)[] BundleMemberColumns =
    [
        ("Bundle", "一件事编码"), (nameof(BundleMember.Matter), "事项编码"), (nameof(BundleMember.Optional), "是否可选"), (nameof(BundleMember.When), "选用情形"),
        (nameof(BundleMember.After), "等待事项"),
    ];

    private static readonly (string Property, string Header)[] BundleSituationColumns =
    [
        ("Bundle", "一件事编码"), (nameof(SituationQuestion.Key), "问题键"), (nameof(SituationQuestion.Text), "问题"),
        (nameof(SituationQuestion.Options), "回答选项"), (nameof(SituationQuestion.Help), "说明"), (nameof(SituationQuestion.When), "提问条件"),
    ];

    private static readonly (string Property, string Header)[] BundleFieldColumns =
    [
        ("Bundle", "一件事编码"), .. FieldColumns.Skip(1), (nameof(MergedField.Maps), "映射字段"),
    ];

    private static readonly (string Property, string Header)[] BundleMaterialColumns =
    [
        ("Bundle", "一件事编码"), (nameof(MergedMaterial.Name), "材料名称"), (nameof(MergedMaterial.Required), "是否必需"),
        (nameof(MergedMaterial.Form), "材料形式"), (nameof(MergedMaterial.Copies), "份数"), (nameof(MergedMaterial.When), "情形条件"),
        (nameof(MergedMaterial.StandsFor), "对应材料"), (nameof(MergedMaterial.From), "来源事项"),
    ];

    private static readonly Dictionary<string, BundleRefusalRule> RefusalRules = new()
    {
        ["其余事项继续办理"] = BundleRefusalRule.Continue,
        ["整件终止"] = BundleRefusalRule.Stop,
    };

    private static readonly HashSet<string> LaterColumns = ["最长字数", "必填条件字段", "必填条件取值", "情形条件"];

    private static readonly Dictionary<string, MatterKind> Kinds = Enum.GetValues<MatterKind>().ToDictionary(MatterNames.Kind);
    private static readonly Dictionary<string, MaterialForm> Forms = Enum.GetValues<MaterialForm>().ToDictionary(MatterNames.Form);
    private static readonly Dictionary<string, FieldKind> FieldTypes = Enum.GetValues<FieldKind>().ToDictionary(MatterNames.FieldType);

    public static byte[] Write(CatalogueData data)
    {
        var sheets = new Dictionary<string, object>
        {
            [DepartmentsSheet] = Rows(DepartmentColumns,
                data.Departments.Select(d => new object?[] { d.Code, d.Name, d.ShortName, d.Window, d.Phone, d.SupervisionContact })),
            [StationsSheet] = Rows(StationColumns, data.Stations.Select(s => new object?[] { s.Code, s.Name, s.Phone })),
            [MattersSheet] = Rows(MatterColumns, data.Matters.Select(m => new object?[]
            {
                m.Code, m.Name, m.Department, MatterNames.Kind(m.Kind), m.LegalLimitDays, m.PromisedLimitDays, m.Fee, m.FeeBasis, m.LegalBasis,
                m.Conditions, m.Workflow, m.CertificateType, m.WarningDaysLeft, m.WarningPercentUsed, m.IsPublished ? Yes : No,
            })),
            [MaterialsSheet] = Rows(MaterialColumns, data.Matters.SelectMany(m => m.Materials.Select(x => new object?[]
            {
                m.Code, x.Name, x.Required ? Yes : No, MatterNames.Form(x.Form), x.Copies, x.Condition, x.When,
            }))),
            [FieldsSheet] = Rows(FieldColumns, data.Matters.SelectMany(m => m.FormFields.Select(f => new object?[]
            {
                m.Code, f.Key, f.Label, MatterNames.FieldType(f.Type), f.Required ? Yes : No, f.Options is null ? null : string.Join("|", f.Options), f.Unit,
                f.Prefill, f.MaxLength, f.RequiredWhen, f.RequiredWhenValues is null ? null : string.Join("|", f.RequiredWhenValues), f.When,
            }))),
            [SituationsSheet] = Rows(SituationColumns, data.Matters.SelectMany(m => m.Situations.Select(q => new object?[]
            {
                m.Code, q.Key, q.Text, string.Join("|", q.Options), q.Help, q.When,
            }))),
            [BundlesSheet] = Rows(BundleColumns, data.Bundles.Select(b => new object?[]
            {
                b.Code, b.Name, b.LifeEvent, b.Department, b.PromisedLimitDays, RefusalRules.First(r => r.Value == b.OnRefusal).Key, b.Description,
                Joined(b.Replaces), b.IsPublished ? Yes : No,
            })),
            [BundleMembersSheet] = Rows(BundleMemberColumns, data.Bundles.SelectMany(b => b.Members.Select(m => new object?[]
            {
                b.Code, m.Matter, m.Optional ? Yes : No, m.When, Joined(m.After),
            }))),
            [BundleSituationsSheet] = Rows(BundleSituationColumns, data.Bundles.SelectMany(b => b.Situations.Select(q => new object?[]
            {
                b.Code, q.Key, q.Text, string.Join("|", q.Options), q.Help, q.When,
            }))),
            [BundleFieldsSheet] = Rows(BundleFieldColumns, data.Bundles.SelectMany(b => b.FormFields.Select(f => new object?[]
            {
                b.Code, f.Key, f.Label, MatterNames.FieldType(f.Type), f.Required ? Yes : No, f.Options is null ? null : string.Join("|", f.Options), f.Unit,
                f.Prefill, f.MaxLength, f.RequiredWhen, f.RequiredWhenValues is null ? null : string.Join("|", f.RequiredWhenValues), f.When, Joined(f.Maps),
            }))),
            [BundleMaterialsSheet] = Rows(BundleMaterialColumns, data.Bundles.SelectMany(b => b.Materials.Select(x => new object?[]
            {
                b.Code, x.Name, x.Required ? Yes : No, MatterNames.Form(x.Form), x.Copies, x.When, Joined(x.StandsFor), Joined(x.From),
            }))),
        };

        using var stream = new MemoryStream();
        stream.SaveAs(sheets);
        return stream.ToArray();
    }

    private static string? Joined(List<string> items) => items.Count == 0 ? null : string.Join("|", items);

    private static List<string> Listed(string text) =>
        [.. text.Split(['|', '｜'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static List<Dictionary<string, object?>> Rows((string Property, string Header)[] columns, IEnumerable<object?[]> values)
    {
        var rows = values.Select(v =>
        {
            var row = new Dictionary<string, object?>(columns.Length);
            for (var i = 0; i < columns.Length; i++)
            {
                row[columns[i].Header] = v[i];
            }

            return row;
        }).ToList();

        if (rows.Count == 0)
        {
            // An empty sheet still carries its headers so the workbook stays a valid template.
            rows.Add(columns.ToDictionary(c => c.Header, _ => (object?)null));
        }

        return rows;
    }

    /// <summary>Where each item of the parsed catalogue came from, to point errors at cells.</summary>
    public sealed class SourceMap
    {
        public Dictionary<int, int> DepartmentRows { get; } = [];

        public Dictionary<int, int> StationRows { get; } = [];

        public Dictionary<int, int> MatterRows { get; } = [];

        public Dictionary<(int Matter, int Item), int> MaterialRows { get; } = [];

        public Dictionary<(int Matter, int Item), int> FieldRows { get; } = [];

        public Dictionary<(int Matter, int Item), int> SituationRows { get; } = [];

        public Dictionary<int, int> BundleRows { get; } = [];
    }

    /// <summary>
    /// Reads a workbook into catalogue data. Returns every problem found while reading (missing
    /// sheets and columns, unreadable cells, rows pointing at unknown matters); the caller then runs
    /// the catalogue rules and turns their problems into cells with <see cref="Locate"/>.
    /// </summary>
    public static (CatalogueData Data, SourceMap Map, List<WorkbookError> Errors) Read(Stream input)
    {
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        var data = new CatalogueData();
        var map = new SourceMap();
        var errors = new List<WorkbookError>();

        List<string> sheetNames;
        try
        {
            buffer.Position = 0;
            sheetNames = buffer.GetSheetNames();
        }
        catch (Exception)
        {
            errors.Add(new WorkbookError("", 0, "", "无法读取文件：请上传由本系统导出或按模板填写的 Excel 工作簿（.xlsx）"));
            return (data, map, errors);
        }

        var departments = ReadSheet(buffer, sheetNames, DepartmentsSheet, DepartmentColumns, errors, required: true);
        var stations = ReadSheet(buffer, sheetNames, StationsSheet, StationColumns, errors, required: false);
        var matters = ReadSheet(buffer, sheetNames, MattersSheet, MatterColumns, errors, required: true);
        var materials = ReadSheet(buffer, sheetNames, MaterialsSheet, MaterialColumns, errors, required: true);
        var fields = ReadSheet(buffer, sheetNames, FieldsSheet, FieldColumns, errors, required: true);
        var situations = ReadSheet(buffer, sheetNames, SituationsSheet, SituationColumns, errors, required: false); // added later: optional
        var bundleSheets = new BundleSheets(
            ReadSheet(buffer, sheetNames, BundlesSheet, BundleColumns, errors, required: false), // bundles came later still: optional
            ReadSheet(buffer, sheetNames, BundleMembersSheet, BundleMemberColumns, errors, required: false),
            ReadSheet(buffer, sheetNames, BundleSituationsSheet, BundleSituationColumns, errors, required: false),
            ReadSheet(buffer, sheetNames, BundleFieldsSheet, BundleFieldColumns, errors, required: false),
            ReadSheet(buffer, sheetNames, BundleMaterialsSheet, BundleMaterialColumns, errors, required: false));
        if (errors.Count > 0)
        {
            // Without the sheets and columns there is nothing meaningful to check cell by cell.
            return (data, map, errors);
        }

        foreach (var (row, cells) in departments)
        {
            map.DepartmentRows[data.Departments.Count] = row;
            data.Departments.Add(new DepartmentData
            {
                Code = Text(cells, "部门编码"), Name = Text(cells, "部门名称"), ShortName = Text(cells, "简称"),
                Window = Text(cells, "窗口"), Phone = Text(cells, "联系电话"), SupervisionContact = Text(cells, "监察联络员"),
            });
        }

        foreach (var (row, cells) in stations)
        {
            map.StationRows[data.Stations.Count] = row;
            data.Stations.Add(new StationData { Code = Text(cells, "服务站编码"), Name = Text(cells, "服务站名称"), Phone = Text(cells, "联系电话") });
        }

        var matterIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (row, cells) in matters)
        {
            var cell = new CellReader(MattersSheet, row, cells, errors);
            var m = new MatterData
            {
                Code = Text(cells, "事项编码"),
                Name = Text(cells, "事项名称"),
                Department = Text(cells, "部门编码"),
                Kind = cell.Choice("办件类型", Kinds),
                LegalLimitDays = cell.Int("法定时限") ?? 0,
                PromisedLimitDays = cell.Int("承诺时限") ?? 0,
                Fee = cell.Decimal("收费标准") ?? 0,
                FeeBasis = NullIfEmpty(Text(cells, "收费依据")),
                LegalBasis = Text(cells, "设定依据"),
                Conditions = NullIfEmpty(Text(cells, "申请条件")),
                Workflow = Text(cells, "流程定义"),
                CertificateType = NullIfEmpty(Text(cells, "证照类型")),
                WarningDaysLeft = cell.Int("预警剩余工作日"),
                WarningPercentUsed = cell.Int("预警时限比例"),
                IsPublished = cell.YesNo("是否公开", defaultValue: true),
            };
            map.MatterRows[data.Matters.Count] = row;
            if (m.Code.Length > 0)
            {
                matterIndex.TryAdd(m.Code, data.Matters.Count);
            }

            data.Matters.Add(m);
        }

        foreach (var (row, cells) in materials)
        {
            var cell = new CellReader(MaterialsSheet, row, cells, errors);
            if (!matterIndex.TryGetValue(Text(cells, "事项编码"), out var mi))
            {
                errors.Add(new WorkbookError(MaterialsSheet, row, "事项编码", $"事项编码“{Text(cells, "事项编码")}”在“事项”工作表中不存在"));
                continue;
            }

            var list = data.Matters[mi].Materials;
            map.MaterialRows[(mi, list.Count)] = row;
            list.Add(new MaterialRequirement
            {
                Name = Text(cells, "材料名称"),
                Required = cell.YesNo("是否必需", defaultValue: true),
                Form = cell.Choice("材料形式", Forms),
                Copies = cell.Int("份数") ?? 1,
                Condition = NullIfEmpty(Text(cells, "适用情形")),
                When = NullIfEmpty(Text(cells, "情形条件")),
            });
        }

        foreach (var (row, cells) in fields)
        {
            var cell = new CellReader(FieldsSheet, row, cells, errors);
            if (!matterIndex.TryGetValue(Text(cells, "事项编码"), out var mi))
            {
                errors.Add(new WorkbookError(FieldsSheet, row, "事项编码", $"事项编码“{Text(cells, "事项编码")}”在“事项”工作表中不存在"));
                continue;
            }

            var options = Text(cells, "选项");
            var list = data.Matters[mi].FormFields;
            map.FieldRows[(mi, list.Count)] = row;
            list.Add(new FormField
            {
                Key = Text(cells, "字段键"),
                Label = Text(cells, "字段名称"),
                Type = cell.Choice("字段类型", FieldTypes),
                Required = cell.YesNo("是否必填", defaultValue: false),
                Options = options.Length == 0 ? null : options.Split(['|', '｜'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .ToList(),
                Unit = NullIfEmpty(Text(cells, "单位")),
                Prefill = NullIfEmpty(Text(cells, "预填来源")),
                MaxLength = cell.Int("最长字数"),
                RequiredWhen = NullIfEmpty(Text(cells, "必填条件字段")),
                RequiredWhenValues = Text(cells, "必填条件取值") is { Length: > 0 } conditionValues
                    ? conditionValues.Split(['|', '｜'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() : null,
                When = NullIfEmpty(Text(cells, "情形条件")),
            });
        }

        foreach (var (row, cells) in situations)
        {
            if (!matterIndex.TryGetValue(Text(cells, "事项编码"), out var mi))
            {
                errors.Add(new WorkbookError(SituationsSheet, row, "事项编码", $"事项编码“{Text(cells, "事项编码")}”在“事项”工作表中不存在"));
                continue;
            }

            var list = data.Matters[mi].Situations;
            map.SituationRows[(mi, list.Count)] = row;
            var options = Text(cells, "回答选项");
            list.Add(new SituationQuestion
            {
                Key = Text(cells, "问题键"),
                Text = Text(cells, "问题"),
                Options = options.Length == 0 ? [.. Situations.YesNo]
                    : [.. options.Split(['|', '｜'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                Help = NullIfEmpty(Text(cells, "说明")),
                When = NullIfEmpty(Text(cells, "提问条件")),
            });
        }

        ReadBundles(bundleSheets, data, map, errors);
        return (data, map, errors);
    }

    private sealed record BundleSheets(List<(int Row, IDictionary<string, object?> Cells)> Bundles, List<(int Row, IDictionary<string, object?> Cells)> Members,
        List<(int Row, IDictionary<string, object?> Cells)> Situations, List<(int Row, IDictionary<string, object?> Cells)> Fields,
        List<(int Row, IDictionary<string, object?> Cells)> Materials);

    /// <summary>The bundles' sheets: each row of the four detail sheets joins its bundle by code.</summary>
    private static void ReadBundles(BundleSheets sheets, CatalogueData data, SourceMap map, List<WorkbookError> errors)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (row, cells) in sheets.Bundles)
        {
            var cell = new CellReader(BundlesSheet, row, cells, errors);
            map.BundleRows[data.Bundles.Count] = row;
            index.TryAdd(Text(cells, "一件事编码"), data.Bundles.Count);
            data.Bundles.Add(new BundleData
            {
                Code = Text(cells, "一件事编码"),
                Name = Text(cells, "一件事名称"),
                LifeEvent = Text(cells, "生命周期事件"),
                Department = Text(cells, "牵头部门编码"),
                PromisedLimitDays = cell.Int("承诺时限") ?? 0,
                OnRefusal = cell.Choice("成员未获准予时", RefusalRules),
                Description = NullIfEmpty(Text(cells, "说明")),
                Replaces = Listed(Text(cells, "替代的联办事项")),
                IsPublished = cell.YesNo("是否公开", defaultValue: true),
            });
        }

        BundleData? Owner(string sheet, int row, IDictionary<string, object?> cells)
        {
            if (index.TryGetValue(Text(cells, "一件事编码"), out var i))
            {
                return data.Bundles[i];
            }

            errors.Add(new WorkbookError(sheet, row, "一件事编码", $"一件事编码“{Text(cells, "一件事编码")}”在“{BundlesSheet}”工作表中不存在"));
            return null;
        }

        foreach (var (row, cells) in sheets.Members)
        {
            var cell = new CellReader(BundleMembersSheet, row, cells, errors);
            Owner(BundleMembersSheet, row, cells)?.Members.Add(new BundleMember
            {
                Matter = Text(cells, "事项编码"), Optional = cell.YesNo("是否可选", defaultValue: false), When = NullIfEmpty(Text(cells, "选用情形")),
                After = Listed(Text(cells, "等待事项")),
            });
        }

        foreach (var (row, cells) in sheets.Situations)
        {
            var options = Text(cells, "回答选项");
            Owner(BundleSituationsSheet, row, cells)?.Situations.Add(new SituationQuestion
            {
                Key = Text(cells, "问题键"), Text = Text(cells, "问题"), Options = options.Length == 0 ? [.. Situations.YesNo] : Listed(options),
                Help = NullIfEmpty(Text(cells, "说明")), When = NullIfEmpty(Text(cells, "提问条件")),
            });
        }

        foreach (var (row, cells) in sheets.Fields)
        {
            var cell = new CellReader(BundleFieldsSheet, row, cells, errors);
            var options = Text(cells, "选项");
            Owner(BundleFieldsSheet, row, cells)?.FormFields.Add(new MergedField
            {
                Key = Text(cells, "字段键"),
                Label = Text(cells, "字段名称"),
                Type = cell.Choice("字段类型", FieldTypes),
                Required = cell.YesNo("是否必填", defaultValue: false),
                Options = options.Length == 0 ? null : Listed(options),
                Unit = NullIfEmpty(Text(cells, "单位")),
                Prefill = NullIfEmpty(Text(cells, "预填来源")),
                MaxLength = cell.Int("最长字数"),
                RequiredWhen = NullIfEmpty(Text(cells, "必填条件字段")),
                RequiredWhenValues = Text(cells, "必填条件取值") is { Length: > 0 } values ? Listed(values) : null,
                When = NullIfEmpty(Text(cells, "情形条件")),
                Maps = Listed(Text(cells, "映射字段")),
            });
        }

        foreach (var (row, cells) in sheets.Materials)
        {
            var cell = new CellReader(BundleMaterialsSheet, row, cells, errors);
            Owner(BundleMaterialsSheet, row, cells)?.Materials.Add(new MergedMaterial
            {
                Name = Text(cells, "材料名称"),
                Required = cell.YesNo("是否必需", defaultValue: true),
                Form = cell.Choice("材料形式", Forms),
                Copies = cell.Int("份数") ?? 1,
                When = NullIfEmpty(Text(cells, "情形条件")),
                StandsFor = Listed(Text(cells, "对应材料")),
                From = Listed(Text(cells, "来源事项")),
            });
        }
    }

    /// <summary>Turns a catalogue rule's problem into the sheet, row and column it came from.</summary>
    public static WorkbookError Locate(CatalogueProblem p, SourceMap map)
    {
        switch (p.Part)
        {
            case CataloguePart.Department:
                return new WorkbookError(DepartmentsSheet, map.DepartmentRows.GetValueOrDefault(p.Index), Header(DepartmentColumns, p.Property), p.Message);
            case CataloguePart.Station:
                return new WorkbookError(StationsSheet, map.StationRows.GetValueOrDefault(p.Index), Header(StationColumns, p.Property), p.Message);
            case CataloguePart.Bundle:
                return new WorkbookError(BundlesSheet, map.BundleRows.GetValueOrDefault(p.Index), Header(BundleColumns, p.Property) is { Length: > 0 } h
                    && BundleColumns.Any(c => c.Header == h) ? h : "一件事编码", p.Message);
            case CataloguePart.Matter:
            default:
                break;
        }

        // Nested paths look like "Materials[2].Copies" or "FormFields[0].Key".
        var bracket = p.Property.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0 && p.Property.IndexOf(']', bracket) is var close and > 0)
        {
            var collection = p.Property[..bracket];
            var item = int.Parse(p.Property.AsSpan(bracket + 1, close - bracket - 1), CultureInfo.InvariantCulture);
            var property = close + 2 <= p.Property.Length ? p.Property[(close + 2)..] : "";
            if (collection == nameof(MatterData.Materials) && map.MaterialRows.TryGetValue((p.Index, item), out var materialRow))
            {
                return new WorkbookError(MaterialsSheet, materialRow, Header(MaterialColumns, property), p.Message);
            }

            if (collection == nameof(MatterData.FormFields) && map.FieldRows.TryGetValue((p.Index, item), out var fieldRow))
            {
                return new WorkbookError(FieldsSheet, fieldRow, Header(FieldColumns, property), p.Message);
            }
        }

        var column = p.Property switch
        {
            nameof(MatterData.Materials) => "事项编码",
            nameof(MatterData.FormFields) => "事项编码",
            nameof(MatterData.Situations) => "事项编码",
            _ => Header(MatterColumns, p.Property),
        };
        var sheet = p.Property switch
        {
            nameof(MatterData.Materials) => MaterialsSheet,
            nameof(MatterData.FormFields) => FieldsSheet,
            nameof(MatterData.Situations) => SituationsSheet,
            _ => MattersSheet,
        };
        var row = map.MatterRows.GetValueOrDefault(p.Index);
        return sheet == MattersSheet ? new WorkbookError(sheet, row, column, p.Message)
            : new WorkbookError(MattersSheet, row, "事项编码", $"{p.Message}（见“{sheet}”工作表）");
    }

    private static string Header((string Property, string Header)[] columns, string property) =>
        columns.FirstOrDefault(c => c.Property == property).Header ?? property;

    private static List<(int Row, IDictionary<string, object?> Cells)> ReadSheet(
        MemoryStream buffer, List<string> sheetNames, string sheet, (string Property, string Header)[] columns, List<WorkbookError> errors, bool required)
    {
        var result = new List<(int, IDictionary<string, object?>)>();
        if (!sheetNames.Contains(sheet))
        {
            if (required)
            {
                errors.Add(new WorkbookError(sheet, 0, "", "缺少此工作表"));
            }

            return result;
        }

        buffer.Position = 0;
        var headers = buffer.GetColumns(useHeaderRow: true, sheetName: sheet)?.Select(h => h?.Trim() ?? "").ToHashSet() ?? [];
        foreach (var (_, header) in columns)
        {
            if (!headers.Contains(header) && !LaterColumns.Contains(header))
            {
                errors.Add(new WorkbookError(sheet, 1, header, "缺少此列"));
            }
        }

        buffer.Position = 0;
        var row = 1;
        foreach (IDictionary<string, object?> cells in buffer.Query(useHeaderRow: true, sheetName: sheet))
        {
            row++;
            if (cells.Values.All(v => v is null || (v is string s && string.IsNullOrWhiteSpace(s))))
            {
                continue;
            }

            result.Add((row, cells));
        }

        return result;
    }

    private static string Text(IDictionary<string, object?> cells, string header) =>
        cells.TryGetValue(header, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture)?.Trim() ?? "" : "";

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    /// <summary>Reads typed cells and records a located error for each one that cannot be read.</summary>
    private readonly struct CellReader(string sheet, int row, IDictionary<string, object?> cells, List<WorkbookError> errors)
    {
        public int? Int(string header)
        {
            var text = Text(cells, header);
            if (text.Length == 0)
            {
                return null;
            }

            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d)
                && d is >= int.MinValue and <= int.MaxValue)
            {
                return (int)d;
            }

            errors.Add(new WorkbookError(sheet, row, header, $"“{text}”不是整数"));
            return null;
        }

        public decimal? Decimal(string header)
        {
            var text = Text(cells, header);
            if (text.Length == 0)
            {
                return null;
            }

            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d))
            {
                return d;
            }

            errors.Add(new WorkbookError(sheet, row, header, $"“{text}”不是数字"));
            return null;
        }

        public bool YesNo(string header, bool defaultValue)
        {
            var text = Text(cells, header);
            switch (text)
            {
                case "":
                    return defaultValue;
                case Yes or "TRUE" or "True" or "true" or "1":
                    return true;
                case No or "FALSE" or "False" or "false" or "0":
                    return false;
                default:
                    errors.Add(new WorkbookError(sheet, row, header, $"“{text}”应填“是”或“否”"));
                    return defaultValue;
            }
        }

        public T Choice<T>(string header, Dictionary<string, T> choices)
            where T : struct
        {
            var text = Text(cells, header);
            if (choices.TryGetValue(text, out var value))
            {
                return value;
            }

            errors.Add(new WorkbookError(sheet, row, header,
                text.Length == 0 ? $"请填写，可选：{string.Join("、", choices.Keys)}" : $"“{text}”无效，可选：{string.Join("、", choices.Keys)}"));
            return default;
        }
    }
}
