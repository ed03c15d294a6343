using ApprovalSystem.Workflows;
using ApprovalSystem.Workflows.Layout;

namespace ApprovalSystem.Core.Tests.Workflows.Layout;

public class WorkflowLayoutTests
{
    public static TheoryData<string> ShippedIds() => [.. ShippedWorkflows.Result.Definitions.Select(d => d.Id)];

    [Theory]
    [MemberData(nameof(ShippedIds))]
    public void Compute_ShippedFlow_DrawsEveryStepBranchAndConnection(string id)
    {
        var definition = ShippedWorkflows.Get(id);

        var diagram = WorkflowLayout.Compute(definition);

        Assert.Equal(WorkflowLayout.StartNodeId, diagram.Nodes[0].Id);
        foreach (var step in definition.Steps)
        {
            var node = diagram.FindNode(step.Id);
            Assert.NotNull(node);
            Assert.Equal(step.Title, node.Title);
            if (step is ParallelStep parallel)
            {
                Assert.All(parallel.Branches, b => Assert.Equal(b.Title, diagram.FindNode(b.Id, step.Id)?.Title));
            }
        }

        Assert.Equal(1 + definition.Steps.Count + definition.Steps.OfType<ParallelStep>().Sum(p => p.Branches.Count), diagram.Nodes.Count);
        Assert.Equal(
            [(WorkflowLayout.StartNodeId, WorkflowLayout.StartOutcome, definition.Start), .. definition.Connections.Select(c => (c.From, c.Outcome, c.To))],
            diagram.Edges.Select(e => (e.From, e.Outcome, e.To)));
    }

    [Theory]
    [MemberData(nameof(ShippedIds))]
    public void Compute_ShippedFlow_IsAProperDrawing(string id) => AssertProperDrawing(ShippedWorkflows.Get(id));

    [Theory]
    [MemberData(nameof(ShippedIds))]
    public void Compute_ShippedFlow_LeavesRoomRightOfEveryEndEventForItsTitle(string id)
    {
        var definition = ShippedWorkflows.Get(id);
        var diagram = WorkflowLayout.Compute(definition);

        // An end's title is drawn beside its circle: the next box in its layer starts at least 100 px right of the circle.
        var ends = definition.Steps.OfType<EndStep>().Select(e => diagram.FindNode(e.Id)!).ToList();
        Assert.NotEmpty(ends);
        foreach (var end in ends)
        {
            var neighbours = diagram.Nodes.Where(n => n.ParentId is null && n != end && n.Y < end.Y + end.Height && end.Y < n.Y + n.Height && n.X > end.X);
            Assert.All(neighbours, n => Assert.True(n.X - end.Right >= 100, $"{id}: {n.Id} starts {n.X - end.Right} px right of {end.Id}"));
        }
    }

    [Fact]
    public void Compute_CapitalConstruction_PutsTheConditionBetweenPlanningAndBothPermitSteps()
    {
        var diagram = WorkflowLayout.Compute(ShippedWorkflows.Get("capital-construction"));
        var planning = diagram.FindNode("planning")!;
        var large = diagram.FindNode("large")!;
        var withFire = diagram.FindNode("permits-with-fire")!;
        var permits = diagram.FindNode("permits")!;

        Assert.True(planning.Bottom < large.Y);
        Assert.True(large.Bottom < withFire.Y);
        Assert.Equal(withFire.CenterY, permits.CenterY);
        Assert.True(withFire.Right <= permits.X || permits.Right <= withFire.X);
        Assert.True(Math.Max(withFire.Bottom, permits.Bottom) < diagram.FindNode("construction")!.Y);
    }

    [Fact]
    public void Compute_ParallelStep_DrawsItsBranchesSideBySideInsideIt()
    {
        var diagram = WorkflowLayout.Compute(ShippedWorkflows.Get("capital-construction"));
        var step = diagram.FindNode("permits-with-fire")!;

        var branches = diagram.Nodes.Where(n => n.ParentId == "permits-with-fire").ToList();

        Assert.Equal(["fire", "civil-defence", "lightning"], branches.Select(b => b.Id));
        Assert.All(branches, b => Assert.Equal("branch", b.Kind));
        Assert.All(branches, b => Assert.Equal(branches[0].Y, b.Y));
        Assert.All(branches.Zip(branches.Skip(1)), pair => Assert.True(pair.First.Right < pair.Second.X));
        Assert.All(branches, b => Assert.True(Inside(b, step), b.Id));
        Assert.Equal(step.Y + WorkflowLayout.ParallelPaddingTop, branches[0].Y);
    }

    [Fact]
    public void Compute_ReturnConnection_RunsUpInALaneRightOfEveryBox()
    {
        var definition = Define(
            "a",
            [Task("a"), Task("b"), Task("c"), End("ok")],
            [("a", "approve", "b"), ("b", "approve", "c"), ("c", "return", "a"), ("b", "return", "a"), ("c", "approve", "ok")]);

        var diagram = WorkflowLayout.Compute(definition);

        var boxesRight = diagram.Nodes.Max(n => n.Right);
        var returns = diagram.Edges.Where(e => e.Outcome == "return").ToList();
        Assert.Equal(2, returns.Count);
        var lanes = returns.Select(e => e.Points.Max(p => p.X)).ToList();
        Assert.All(lanes, lane => Assert.True(lane > boxesRight));
        Assert.Equal(lanes.Count, lanes.Distinct().Count());
        Assert.All(returns, e => Assert.True(e.Points[^1].Y < e.Points[0].Y));
        Assert.True(diagram.Width > lanes.Max());
        AssertProperDrawing(definition);
    }

    [Fact]
    public void Compute_Draft_DrawsUnreachableStepsAndLoopsAndSkipsConnectionsToMissingSteps()
    {
        var definition = Define(
            "a",
            [Task("a"), Task("b"), Task("orphan"), Task("a"), End("ok")],
            [("a", "approve", "b"), ("b", "approve", "b"), ("orphan", "approve", "ok"), ("b", "deny", "nowhere"), ("b", "return", "ok")]);

        var diagram = WorkflowLayout.Compute(definition);

        Assert.Equal(["$start", "a", "b", "orphan", "ok"], diagram.Nodes.Select(n => n.Id));
        Assert.DoesNotContain(diagram.Edges, e => e.To == "nowhere");
        var self = Assert.Single(diagram.Edges, e => e.From == "b" && e.To == "b");
        Assert.True(self.Points.Count >= 4);
        AssertProperDrawing(definition);
    }

    [Fact]
    public void Compute_WithoutTheStartStep_DrawsTheStartEventAlone()
    {
        var definition = Define("missing", [Task("a"), End("ok")], [("a", "approve", "ok")]);

        var diagram = WorkflowLayout.Compute(definition);

        Assert.DoesNotContain(diagram.Edges, e => e.From == WorkflowLayout.StartNodeId);
        AssertProperDrawing(definition);
    }

    [Fact]
    public void Compute_SameDefinition_GivesTheSameDiagram()
    {
        var definition = ShippedWorkflows.Get("property-registration");

        var first = WorkflowLayout.Compute(definition);
        var second = WorkflowLayout.Compute(definition);

        Assert.Equal(first.Nodes, second.Nodes);
        Assert.Equal(first.Edges.Select(e => string.Join(' ', e.Points)), second.Edges.Select(e => string.Join(' ', e.Points)));
        Assert.Equal((first.Width, first.Height), (second.Width, second.Height));
    }

    [Fact]
    public void Compute_LongChainWithSideExits_KeepsTheMainPathInOneColumn()
    {
        var steps = Enumerable.Range(0, 12).Select(i => (WorkflowStep)Task($"s{i}")).Append(End("ok")).Append(End("no")).ToList();
        var connections = Enumerable.Range(0, 12)
            .SelectMany(i => new[] { ($"s{i}", "approve", i == 11 ? "ok" : $"s{i + 1}"), ($"s{i}", "deny", "no") })
            .ToList();

        var definition = Define("s0", steps, connections);
        var diagram = WorkflowLayout.Compute(definition);

        var xs = Enumerable.Range(0, 12).Select(i => diagram.FindNode($"s{i}")!.CenterX).Distinct().ToList();
        Assert.Single(xs);
        AssertProperDrawing(definition);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Compute_RandomFlows_AreProperDrawings(int seed)
    {
        var random = new Random(seed);
        var count = 10 + random.Next(50);
        var steps = new List<WorkflowStep>();
        var connections = new List<(string, string, string)>();
        for (var i = 0; i < count; i++)
        {
            steps.Add((i % 7) switch
            {
                3 => new ConditionStep($"s{i}", $"条件{i}", ApprovalSystem.Workflows.Conditions.ConditionParser.Parse("x > 1").Condition!),
                5 => new ParallelStep($"s{i}", $"并联{i}", 5, 1 + random.Next(3),
                    [.. Enumerable.Range(0, 1 + random.Next(4)).Select(b => new ParallelBranch($"b{b}", $"分支{b}", "FG", "Officer", 3, $"w{i}_{b}"))],
                    [Outcome.Approve, Outcome.Deny]),
                _ => Task($"s{i}"),
            });
        }

        steps.Add(End("ok"));
        steps.Add(End("no"));
        for (var i = 0; i < count; i++)
        {
            var outcomes = steps[i] is ConditionStep ? new[] { "true", "false" } : ["approve", "deny", "return"];
            foreach (var outcome in outcomes)
            {
                var to = random.Next(6) switch
                {
                    0 => "no",
                    1 when i > 0 => $"s{random.Next(i)}",
                    _ => i + 1 < count ? $"s{i + 1 + random.Next(Math.Min(3, count - i - 1))}" : "ok",
                };
                connections.Add(($"s{i}", outcome, to));
            }
        }

        AssertProperDrawing(Define("s0", steps, connections));
    }

    /// <summary>No two boxes overlap; every edge is orthogonal, starts and ends on its boxes and crosses no other box;
    /// a connection that closes no cycle goes down; everything lies inside the diagram.</summary>
    private static void AssertProperDrawing(WorkflowDefinition definition)
    {
        var diagram = WorkflowLayout.Compute(definition);
        var topLevel = diagram.Nodes.Where(n => n.ParentId is null).ToList();
        foreach (var group in diagram.Nodes.GroupBy(n => n.ParentId))
        {
            var boxes = group.ToList();
            for (var i = 0; i < boxes.Count; i++)
            {
                for (var j = i + 1; j < boxes.Count; j++)
                {
                    Assert.False(Overlap(boxes[i], boxes[j]), $"{boxes[i].Id} overlaps {boxes[j].Id}");
                }
            }
        }

        Assert.All(diagram.Nodes, n => Assert.True(n.X >= 0 && n.Y >= 0 && n.Right <= diagram.Width && n.Bottom <= diagram.Height, n.Id));
        foreach (var edge in diagram.Edges)
        {
            var from = diagram.FindNode(edge.From)!;
            var to = diagram.FindNode(edge.To)!;
            var name = $"{edge.From} -{edge.Outcome}-> {edge.To}";
            Assert.True(OnBorder(edge.Points[0], from), $"{name} starts off its box");
            Assert.True(OnBorder(edge.Points[^1], to), $"{name} ends off its box");
            Assert.All(edge.Points, p => Assert.True(p.X >= 0 && p.Y >= 0 && p.X <= diagram.Width && p.Y <= diagram.Height, name));
            foreach (var (a, b) in edge.Points.Zip(edge.Points.Skip(1)))
            {
                Assert.True(a.X == b.X || a.Y == b.Y, $"{name} has a slanted segment {a} {b}");
                foreach (var other in topLevel.Where(n => n.Id != edge.From && n.Id != edge.To))
                {
                    Assert.False(Crosses(a, b, other), $"{name} crosses {other.Id}");
                }
            }

            if (edge.From != WorkflowLayout.StartNodeId && !Reaches(definition, edge.To, edge.From))
            {
                Assert.True(to.Y > from.Bottom, $"{name} does not go down");
            }
        }
    }

    private static bool Reaches(WorkflowDefinition definition, string from, string to)
    {
        var seen = new HashSet<string> { from };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var step))
        {
            if (step == to)
            {
                return true;
            }

            foreach (var next in definition.Connections.Where(c => c.From == step).Select(c => c.To))
            {
                if (seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return false;
    }

    private static bool Overlap(DiagramNode a, DiagramNode b) => a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;

    private static bool Inside(DiagramNode inner, DiagramNode outer) =>
        inner.X >= outer.X && inner.Right <= outer.Right && inner.Y >= outer.Y && inner.Bottom <= outer.Bottom;

    private static bool OnBorder(DiagramPoint p, DiagramNode n)
    {
        const double e = 0.01;
        var withinX = p.X >= n.X - e && p.X <= n.Right + e;
        var withinY = p.Y >= n.Y - e && p.Y <= n.Bottom + e;
        return (withinX && (Math.Abs(p.Y - n.Y) < e || Math.Abs(p.Y - n.Bottom) < e))
            || (withinY && (Math.Abs(p.X - n.X) < e || Math.Abs(p.X - n.Right) < e));
    }

    /// <summary>Whether an axis-parallel segment passes through the inside of a box.</summary>
    private static bool Crosses(DiagramPoint a, DiagramPoint b, DiagramNode n) =>
        Math.Max(a.X, b.X) > n.X && Math.Min(a.X, b.X) < n.Right && Math.Max(a.Y, b.Y) > n.Y && Math.Min(a.Y, b.Y) < n.Bottom;

    private static TaskStep Task(string id) => new(id, $"环节{id}", "FG", "Officer", 5, id, [Outcome.Approve, Outcome.Deny, Outcome.Return]);

    private static EndStep End(string id) => new(id, $"办结{id}", WorkflowResult.Approved);

    private static WorkflowDefinition Define(string start, IReadOnlyList<WorkflowStep> steps, IEnumerable<(string From, string Outcome, string To)> connections) =>
        new("test", 1, "测试流程", null, start, steps, [.. connections.Select(c => new WorkflowConnection(c.From, c.Outcome, c.To))], "hash", "{}");
}
