using MudBlazor;

namespace ApprovalSystem.Web.Components.Layout;

public static class AppTheme
{
    private static readonly string[] Fonts = ["Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#b71c1c",
            Secondary = "#1565c0",
            AppbarBackground = "#b71c1c",

            // MudBlazor's status colours are too light for text on white and for white text on them (its green due dates
            // measured 2.23:1): these keep the same hues at ≥ 4.5:1 both ways (WCAG 1.4.3; docs/accessibility.md).
            Success = "#2e7d32",
            Warning = "#b45309",
            Info = "#1565c0",
            Error = "#c62828",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts },
            H1 = new H1Typography { FontFamily = Fonts },
            H2 = new H2Typography { FontFamily = Fonts },
            H3 = new H3Typography { FontFamily = Fonts },
            H4 = new H4Typography { FontFamily = Fonts },
            H5 = new H5Typography { FontFamily = Fonts },
            H6 = new H6Typography { FontFamily = Fonts },
            // MudBlazor writes button text in capitals by default ("导出 EXCEL"); Chinese has none and Latin words keep their case.
            Button = new ButtonTypography { FontFamily = Fonts, TextTransform = "none" },
            Body1 = new Body1Typography { FontFamily = Fonts },
            Body2 = new Body2Typography { FontFamily = Fonts },
        },
    };
}
