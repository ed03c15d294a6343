using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;

namespace ApprovalSystem.Web.Features.Admin.FlowDesigner;

/// <summary>A step (or a parallel step's branch) on the diagram, with what its widget shows.</summary>
public sealed class FlowNode(string id, Point position) : NodeModel(id, position)
{
    public StepModel? Step { get; init; }

    public BranchModel? Branch { get; init; }

    /// <summary>The step a case starts on (marked 开始).</summary>
    public bool IsStart { get; init; }

    /// <summary>The department and its limit as people read them (主办部门 · 3个工作日).</summary>
    public string Meta { get; init; } = "";

    /// <summary>The problems pinned to this node, in Chinese.</summary>
    public IReadOnlyList<string> Issues { get; init; } = [];

    public bool IsSelectedStep { get; init; }

    /// <summary>Where other steps' outcomes (or a parallel step's branches) arrive.</summary>
    public PortModel? In { get; set; }

    public List<OutcomePort> Outcomes { get; } = [];

    /// <summary>A parallel step's port its branches hang from.</summary>
    public PortModel? BranchesPort { get; set; }

    public string ModelId => Branch?.Id ?? Step!.Id;

    /// <summary>The box's size as the engine's layout reckons it (<see cref="FlowLayout.SizeOf"/>).</summary>
    public double Width { get; init; }

    public double Height { get; init; }
}

/// <summary>An outcome's port (同意, 不同意, 退回, 是, 否): a link leaves from it to the next step's <see cref="FlowNode.In"/>.</summary>
public sealed class OutcomePort(string id, NodeModel parent, string outcome, PortAlignment alignment)
    : PortModel(id, parent, alignment, null, null)
{
    public string Outcome { get; } = outcome;

    public override bool CanAttachTo(ILinkable other) => other is PortModel { Parent: FlowNode { Step: not null } } port && port.Alignment == PortAlignment.Top
        && port.Parent != Parent;
}

/// <summary>An outcome's link, remembering which connection of the model it draws.</summary>
public sealed class FlowLink(PortModel source, PortModel target) : LinkModel(source, target)
{
    public string From { get; init; } = "";

    /// <summary>The outcome, or null for the link from a parallel step to one of its branches.</summary>
    public string? Outcome { get; init; }

    public string? BranchId { get; init; }
}
