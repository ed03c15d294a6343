namespace ApprovalSystem.Workflows.Layout;

/// <summary>
/// A workflow drawn top to bottom by <see cref="WorkflowLayout.Compute"/>: boxes for the steps (and the start event),
/// polylines for the connections. Coordinates are in pixels from the diagram's top-left corner, y growing downwards.
/// </summary>
/// <param name="Nodes">The start event, then the steps in the definition's order, each joint step followed by its branches.</param>
/// <param name="Edges">The start event's edge, then the definition's connections in their order.</param>
public sealed record WorkflowDiagram(IReadOnlyList<DiagramNode> Nodes, IReadOnlyList<DiagramEdge> Edges, double Width, double Height)
{
    /// <summary>
    /// The node of step <paramref name="id"/>, or of branch <paramref name="id"/> of joint step <paramref name="parentId"/>
    /// (two joint steps may have branches with the same id, so a branch is known by both).
    /// </summary>
    public DiagramNode? FindNode(string id, string? parentId = null) =>
        Nodes.FirstOrDefault(n => n.Id == id && n.ParentId == parentId);
}

/// <summary>
/// One box of a <see cref="WorkflowDiagram"/>: a step, a branch of a joint step (with <see cref="ParentId"/> = the step,
/// drawn inside it), or the start event (<see cref="WorkflowLayout.StartNodeId"/>).
/// </summary>
/// <param name="Kind">
/// "start", a step's kind as a workflow file names it ("task", "parallel", "countersign", "condition", "end"), or "branch".
/// </param>
/// <param name="X">The left edge.</param>
/// <param name="Y">The top edge.</param>
public sealed record DiagramNode(string Id, string? ParentId, string Kind, string Title, double X, double Y, double Width, double Height)
{
    public double CenterX => X + (Width / 2);

    public double CenterY => Y + (Height / 2);

    public double Right => X + Width;

    public double Bottom => Y + Height;
}

/// <summary>
/// A connection drawn as a polyline of horizontal and vertical segments: the first point is on the border of
/// <see cref="From"/>'s box, the last on the border of <see cref="To"/>'s. A connection back up the flow (退回) runs
/// in a lane right of every box.
/// </summary>
/// <param name="Outcome">The connection's outcome ("approve", "true" …); <see cref="WorkflowLayout.StartOutcome"/> for the start event's edge.</param>
public sealed record DiagramEdge(string From, string Outcome, string To, IReadOnlyList<DiagramPoint> Points);

/// <summary>A point of a <see cref="DiagramEdge"/>.</summary>
public readonly record struct DiagramPoint(double X, double Y);
