using System.Collections.Frozen;
using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// Every page speaks Chinese, the component library's own words included: requests and interactive circuits run in zh-CN
/// (a date picker's weekday and month names, number and date formats), and MudBlazor's built-in texts (pager buttons, the
/// data grid's filter words, dialogs' and alerts' close buttons, file upload) come from <see cref="ChineseMudLocalizer"/>.
/// </summary>
public static class ChineseCulture
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("zh-CN");

    public static IServiceCollection AddChineseCulture(this IServiceCollection services)
    {
        services.AddTransient<MudLocalizer, ChineseMudLocalizer>();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Culture, Culture);
            o.SupportedCultures = [Culture];
            o.SupportedUICultures = [Culture];
            // One language for everyone: a browser that asks for English (Accept-Language) still gets the Chinese pages,
            // rather than Chinese text around an English date picker.
            o.RequestCultureProviders.Clear();
        });
        return services;
    }

    /// <summary>Sets zh-CN on every request; an interactive circuit keeps the culture of the request that opened it.</summary>
    public static IApplicationBuilder UseChineseCulture(this IApplicationBuilder app) => app.UseRequestLocalization();
}

/// <summary>MudBlazor's own texts in Chinese (its resource keys as of MudBlazor 9.12). A key not listed falls back to English.</summary>
public sealed class ChineseMudLocalizer : MudLocalizer
{
    public override LocalizedString this[string key] =>
        Texts.TryGetValue(key, out var text) ? new(key, text) : new(key, key, resourceNotFound: true);

    public override LocalizedString this[string key, params object[] arguments] =>
        Texts.TryGetValue(key, out var text)
            ? new(key, string.Format(ChineseCulture.Culture, text, arguments))
            : new(key, key, resourceNotFound: true);

    /// <summary>Every key MudBlazor asks for; <c>ChineseMudLocalizerTests</c> checks none of the library's keys is missing.</summary>
    public static readonly FrozenDictionary<string, string> Texts = new Dictionary<string, string>
    {
        ["MudDataGrid_Apply"] = "应用",
        ["MudDataGrid_Clear"] = "清除",
        ["MudDataGrid_AddFilter"] = "添加筛选",
        ["MudDataGrid_Cancel"] = "取消",
        ["MudDataGrid_Loading"] = "正在加载…",
        ["MudDataGrid_Save"] = "保存",
        ["MudDataGrid_HideAll"] = "全部隐藏",
        ["MudDataGrid_ShowAll"] = "全部显示",
        ["MudDataGrid_Columns"] = "列",
        ["MudDataGrid_ExpandAllGroups"] = "展开全部分组",
        ["MudDataGrid_CollapseAllGroups"] = "折叠全部分组",
        ["MudDataGrid_RefreshData"] = "刷新数据",
        ["MudDataGrid_True"] = "是",
        ["MudDataGrid_False"] = "否",
        ["MudDataGrid_Unsort"] = "取消排序",
        ["MudDataGrid_Filter"] = "筛选",
        ["MudDataGrid_Hide"] = "隐藏",
        ["MudDataGrid_Ungroup"] = "取消分组",
        ["MudDataGrid_CollapseGroup"] = "折叠分组",
        ["MudDataGrid_ExpandGroup"] = "展开分组",
        ["MudDataGrid_Group"] = "分组",
        ["MudDataGrid_FilterValue"] = "筛选值",
        ["MudDataGrid_Contains"] = "包含",
        ["MudDataGrid_NotContains"] = "不包含",
        ["MudDataGrid_Equals"] = "等于",
        ["MudDataGrid_NotEquals"] = "不等于",
        ["MudDataGrid_StartsWith"] = "开头是",
        ["MudDataGrid_EndsWith"] = "结尾是",
        ["MudDataGrid_IsEmpty"] = "为空",
        ["MudDataGrid_IsNotEmpty"] = "不为空",
        ["MudDataGrid_EqualSign"] = "=",
        ["MudDataGrid_NotEqualSign"] = "≠",
        ["MudDataGrid_GreaterThanSign"] = ">",
        ["MudDataGrid_GreaterThanOrEqualSign"] = "≥",
        ["MudDataGrid_LessThanSign"] = "<",
        ["MudDataGrid_LessThanOrEqualSign"] = "≤",
        ["MudDataGrid_Is"] = "是",
        ["MudDataGrid_IsNot"] = "不是",
        ["MudDataGrid_IsAnyOf"] = "是其中之一",
        ["MudDataGrid_IsAfter"] = "晚于",
        ["MudDataGrid_IsOnOrAfter"] = "不早于",
        ["MudDataGrid_IsBefore"] = "早于",
        ["MudDataGrid_IsOnOrBefore"] = "不晚于",
        ["MudDataGrid_Column"] = "列",
        ["MudDataGrid_Operator"] = "条件",
        ["MudDataGrid_Value"] = "值",
        ["MudDataGrid_MoveDown"] = "下移",
        ["MudDataGrid_MoveUp"] = "上移",
        ["MudDataGrid_Sort"] = "排序",
        ["MudDataGrid_ClearFilter"] = "清除筛选",
        ["MudDataGrid_OpenFilters"] = "打开筛选",
        ["MudDataGrid_ToggleGroupExpansion"] = "展开/折叠分组",
        ["MudDataGrid_RemoveFilter"] = "删除筛选",
        ["MudDataGrid_SelectRow"] = "选择此行",
        ["MudDataGrid_SelectAllRows"] = "全选",
        ["MudDataGrid_ShowColumnOptions"] = "列选项",
        ["MudDataGrid_ReorderColumn"] = "调整列顺序",
        ["MudDataGridPager_RowsPerPage"] = "每页",
        ["MudDataGridPager_AllItems"] = "全部",
        ["MudDataGridPager_InfoFormat"] = "{0}-{1} / 共 {2}",
        ["MudDataGridPager_FirstPage"] = "第一页",
        ["MudDataGridPager_PreviousPage"] = "上一页",
        ["MudDataGridPager_NextPage"] = "下一页",
        ["MudDataGridPager_LastPage"] = "最后一页",
        ["MudNavGroup_ToggleExpand"] = "展开/折叠{0}",
        ["MudAlert_Close"] = "关闭",
        ["MudChip_Close"] = "移除",
        ["MudSelect_SelectAll"] = "全选",
        ["MudColorPicker_Close"] = "关闭",
        ["MudColorPicker_SpectrumView"] = "色谱",
        ["MudColorPicker_GridView"] = "网格",
        ["MudColorPicker_PaletteView"] = "调色板",
        ["MudColorPicker_ShowSwatches"] = "显示色板",
        ["MudColorPicker_HideSwatches"] = "隐藏色板",
        ["MudColorPicker_HueSlider"] = "色相",
        ["MudColorPicker_AlphaSlider"] = "透明度",
        ["MudColorPicker_ModeSwitch"] = "切换模式",
        ["MudColorPicker_Open"] = "打开",
        ["MudBaseDatePicker_PrevYear"] = "上一年 {0}",
        ["MudBaseDatePicker_NextYear"] = "下一年 {0}",
        ["MudBaseDatePicker_PrevMonth"] = "上个月 {0}",
        ["MudBaseDatePicker_NextMonth"] = "下个月 {0}",
        ["MudBaseDatePicker_Open"] = "打开日历",
        ["MudTimePicker_Open"] = "打开时间选择",
        ["MudDateRangePicker_Start"] = "开始日期",
        ["MudDateRangePicker_End"] = "结束日期",
        ["MudFormComponent_Required"] = "必填",
        ["MudPagination_CurrentPage"] = "当前第 {0} 页",
        ["MudPagination_FirstPage"] = "第一页",
        ["MudPagination_LastPage"] = "最后一页",
        ["MudPagination_NextPage"] = "下一页",
        ["MudPagination_PageIndex"] = "第 {0} 页",
        ["MudPagination_PreviousPage"] = "上一页",
        ["MudRatingItem_Label"] = "{0} 分",
        ["MudRating_Label"] = "评分",
        ["MudCarousel_Index"] = "第 {0} 项",
        ["MudCarousel_Next"] = "下一项",
        ["MudCarousel_Previous"] = "上一项",
        ["MudDialog_Close"] = "关闭",
        ["MudInput_Clear"] = "清除",
        ["MudInput_Decrement"] = "减少",
        ["MudInput_Increment"] = "增加",
        ["MudRangeInput_Start"] = "开始",
        ["MudRangeInput_End"] = "结束",
        ["MudPageContentNavigation_NavMenu"] = "目录",
        ["MudTable_SelectRow"] = "选择此行",
        ["MudTable_SelectAllRows"] = "全选",
        ["MudTable_SelectGroup"] = "选择此组",
        ["MudTable_Loading"] = "正在加载…",
        ["MudTable_ExpandGroup"] = "展开分组",
        ["MudTable_EditRow"] = "编辑此行",
        ["MudTable_CancelEditRow"] = "取消编辑",
        ["MudTable_CollapseGroup"] = "折叠分组",
        ["MudTable_CommitRow"] = "保存编辑",
        ["MudTablePager_FirstPage"] = "第一页",
        ["MudTablePager_LastPage"] = "最后一页",
        ["MudTablePager_NextPage"] = "下一页",
        ["MudTablePager_PreviousPage"] = "上一页",
        ["MudSnackbar_Close"] = "关闭",
        ["MudStepper_Next"] = "下一步",
        ["MudStepper_Previous"] = "上一步",
        ["MudStepper_Skip"] = "跳过",
        ["MudStepper_Reset"] = "重置",
        ["MudStepper_Complete"] = "完成",
        ["MudFileUpload_DragAndDrop"] = "将文件拖到此处，或点击选择文件",
        ["MudFileUpload_Button"] = "选择文件",
        ["MudFileUpload_FileSizeError"] = "文件“{0}”超过允许的大小（{1} 字节）。",
        ["MudFileUpload_MaximumFileCountExceeded"] = "选择了 {0} 个文件，最多只能选择 {1} 个。",
        ["Converter_InvalidBoolean"] = "不是有效的是/否值",
        ["Converter_InvalidNumber"] = "请输入有效的数字",
        ["Converter_InvalidGUID"] = "不是有效的标识",
        ["Converter_NotValueOf"] = "不是{0}中的值",
        ["Converter_InvalidDateTime"] = "请输入有效的日期时间",
        ["Converter_InvalidTimeSpan"] = "请输入有效的时长",
        ["Converter_InvalidType"] = "不是有效的{0}",
        ["Converter_ConversionNotImplemented"] = "不支持转换为{0}",
        ["Converter_ConversionError"] = "转换出错：{0}",
        ["Converter_ConversionFailed"] = "从{0}转换为{1}失败：{2}",
        ["Converter_UnableToConvert"] = "无法从{1}转换为{0}",
        ["HeatMap_Less"] = "少",
        ["HeatMap_More"] = "多",
        ["MudTreeView_ExpandItem"] = "展开",
        ["MudTreeView_CollapseItem"] = "折叠",
        ["MudTabs_ScrollLeft"] = "向左滚动标签",
        ["MudTabs_ScrollRight"] = "向右滚动标签",
        ["MudTabs_ScrollUp"] = "向上滚动标签",
        ["MudTabs_ScrollDown"] = "向下滚动标签",
        ["MudTabs_CloseTab"] = "关闭标签",
        ["MudTabs_AddTab"] = "添加标签",
        ["MudExitPrompt_Title"] = "确认离开",
        ["MudExitPrompt_Text"] = "确定离开此页？所做的修改可能尚未保存。",
        ["MudExitPrompt_Exit"] = "离开",
        ["MudExitPrompt_Cancel"] = "取消",
        ["MudBreadcrumbs_Label"] = "导航路径",
        ["MudSplitPanel_ResizePanels"] = "调整面板大小",
    }.ToFrozenDictionary();
}
