using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace ApprovalSystem.Workflows.Bpmn;

/// <summary>The XML namespaces, extension attributes and outcome names of the BPMN 2.0 files the system writes and reads.</summary>
public static class BpmnNames
{
    public static readonly XNamespace Model = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    public static readonly XNamespace Di = "http://www.omg.org/spec/BPMN/20100524/DI";
    public static readonly XNamespace Dc = "http://www.omg.org/spec/DD/20100524/DC";
    public static readonly XNamespace DiCommon = "http://www.omg.org/spec/DD/20100524/DI";
    public static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    public static readonly XNamespace Camunda = "http://camunda.org/schema/1.0/bpmn";

    /// <summary>The system's own extension attributes and elements (<c>as:department</c>, <c>as:limitDays</c> …).</summary>
    public static readonly XNamespace Extension = "https://approvalsystem.example/bpmn";

    /// <summary>The Chinese name of a sequence flow leaving on <paramref name="outcome"/>.</summary>
    public static string FlowName(string outcome) => outcome switch
    {
        "approve" => "同意",
        "deny" => "不同意",
        "return" => "退回",
        "true" => "是",
        "false" => "否",
        _ => outcome,
    };

    /// <summary>The outcome a flow's name means, for files drawn without <c>as:outcome</c>.</summary>
    internal static string? OutcomeOfName(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "同意" or "准予" or "通过" or "批准" or "approve" or "approved" => "approve",
        "不同意" or "不予" or "不通过" or "驳回" or "不批准" or "deny" or "denied" => "deny",
        "退回" or "补正" or "return" => "return",
        "是" or "true" or "yes" => "true",
        "否" or "false" or "no" => "false",
        _ => null,
    };

    /// <summary>Whether <paramref name="id"/> may be an element id (an XML NCName; BPMN ids are xsd:ID).</summary>
    internal static bool IsXmlId(string id)
    {
        try
        {
            return XmlConvert.VerifyNCName(id) == id;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    internal static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
