namespace ApprovalSystem.Workflows.Layout;

/// <summary>
/// Lays a workflow out top to bottom, Sugiyama style: connections back up the flow (退回, loops) are set aside,
/// each step gets the layer of its longest path from the start, connections over several layers get bend points
/// in the layers between, each layer is ordered to reduce crossings (barycentre sweeps), and boxes are placed as close
/// to the boxes they connect to as their order allows. Pure and deterministic: the same definition gives the same
/// diagram. Works on drafts too: an unreachable step, or a connection to a step that does not exist, is drawn or
/// left out rather than refused.
/// </summary>
public static class WorkflowLayout
{
    /// <summary>The id of the start event's node (not a legal step id, so it never clashes with one).</summary>
    public const string StartNodeId = "$start";

    /// <summary>The outcome of the edge from the start event to the definition's first step.</summary>
    public const string StartOutcome = "start";

    public const double TaskWidth = 180;
    public const double TaskHeight = 64;
    public const double ConditionWidth = 128;
    public const double ConditionHeight = 80;
    public const double EventSize = 36;
    public const double BranchWidth = 160;
    public const double BranchHeight = 64;
    public const double BranchGap = 16;
    public const double ParallelPaddingX = 12;

    /// <summary>Room above the branches of a joint step: its title, and a split gateway when exported to BPMN.</summary>
    public const double ParallelPaddingTop = 72;

    /// <summary>Room below the branches of a joint step: a join gateway when exported to BPMN.</summary>
    public const double ParallelPaddingBottom = 72;

    private const double LayerGap = 64;
    private const double NodeGap = 40;

    /// <summary>Room right of an end event for its title (drawn beside the circle), so two ends side by side do not overlap.</summary>
    private const double EndLabelRoom = 64;
    private const double DummyGap = 16;
    private const double LaneGap = 16;
    private const double Margin = 24;
    private const int OrderingSweeps = 12;
    private const int PlacementSweeps = 7;

    /// <summary>How much more a box resists being moved off its place than an edge's bend point: steps stay in line, edges bend.</summary>
    private const double StepWeight = 1_000_000;
    private const double DummyWeight = 1;

    /// <summary>Lays <paramref name="definition"/> out.</summary>
    public static WorkflowDiagram Compute(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var graph = Graph.Build(definition);
        graph.BreakCycles();
        graph.AssignLayers();
        graph.InsertDummies();
        graph.Order();
        graph.Place();
        return graph.Draw();
    }

    /// <summary>The size of a step's box.</summary>
    public static (double Width, double Height) SizeOf(WorkflowStep step) => step switch
    {
        ParallelStep parallel => (
            (2 * ParallelPaddingX) + (Math.Max(1, parallel.Branches.Count) * (BranchWidth + BranchGap)) - BranchGap,
            ParallelPaddingTop + BranchHeight + ParallelPaddingBottom),
        ConditionStep => (ConditionWidth, ConditionHeight),
        EndStep => (EventSize, EventSize),
        _ => (TaskWidth, TaskHeight),
    };

    private sealed class Vertex(int index, WorkflowStep? step, double width, double height)
    {
        public int Index { get; } = index;

        /// <summary>Null for the start event and for dummies.</summary>
        public WorkflowStep? Step { get; } = step;

        public bool IsDummy { get; init; }

        public double Width { get; } = width;

        public double Height { get; } = height;

        public int Layer { get; set; } = -1;

        public int Position { get; set; }

        /// <summary>The centre's x.</summary>
        public double X { get; set; }

        public double Y { get; set; }

        public List<int> Up { get; } = [];

        public List<int> Down { get; } = [];

        public double Top => Y - (Height / 2);

        public double Bottom => Y + (Height / 2);
    }

    private sealed class Edge(int from, int to, string fromId, string outcome, string toId)
    {
        public int From { get; } = from;

        public int To { get; } = to;

        public string FromId { get; } = fromId;

        public string Outcome { get; } = outcome;

        public string ToId { get; } = toId;

        public bool Backward { get; set; }

        /// <summary>The vertices a forward edge passes, from its source to its target.</summary>
        public List<int> Chain { get; } = [];
    }

    private sealed class Graph
    {
        private readonly List<Vertex> vertices = [];
        private readonly List<Edge> edges = [];
        private readonly List<int> discovery = [];
        private List<List<int>> layers = [];

        public static Graph Build(WorkflowDefinition definition)
        {
            var graph = new Graph();
            graph.vertices.Add(new Vertex(0, null, EventSize, EventSize));
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var step in definition.Steps)
            {
                if (index.ContainsKey(step.Id))
                {
                    continue;
                }

                var (width, height) = SizeOf(step);
                index[step.Id] = graph.vertices.Count;
                graph.vertices.Add(new Vertex(graph.vertices.Count, step, width, height));
            }

            if (index.TryGetValue(definition.Start, out var start))
            {
                graph.edges.Add(new Edge(0, start, StartNodeId, StartOutcome, definition.Start));
            }

            foreach (var connection in definition.Connections)
            {
                if (index.TryGetValue(connection.From, out var from) && index.TryGetValue(connection.To, out var to))
                {
                    graph.edges.Add(new Edge(from, to, connection.From, connection.Outcome, connection.To));
                }
            }

            return graph;
        }

        /// <summary>Depth-first from the start (then from any step not reached); an edge to a step on the path is backward.</summary>
        public void BreakCycles()
        {
            var state = new int[vertices.Count];
            var outgoing = edges.ToLookup(e => e.From);
            for (var root = 0; root < vertices.Count; root++)
            {
                if (state[root] != 0)
                {
                    continue;
                }

                var stack = new Stack<(int Vertex, IEnumerator<Edge> Next)>();
                state[root] = 1;
                discovery.Add(root);
                stack.Push((root, outgoing[root].GetEnumerator()));
                while (stack.Count > 0)
                {
                    var (vertex, next) = stack.Peek();
                    if (!next.MoveNext())
                    {
                        state[vertex] = 2;
                        stack.Pop();
                        continue;
                    }

                    var edge = next.Current;
                    if (state[edge.To] == 1)
                    {
                        edge.Backward = true;
                    }
                    else if (state[edge.To] == 0)
                    {
                        state[edge.To] = 1;
                        discovery.Add(edge.To);
                        stack.Push((edge.To, outgoing[edge.To].GetEnumerator()));
                    }
                }
            }
        }

        /// <summary>Longest path from the sources: the start event on layer 0, every other source on layer 1.</summary>
        public void AssignLayers()
        {
            var forward = edges.Where(e => !e.Backward).ToList();
            var incoming = new int[vertices.Count];
            foreach (var edge in forward)
            {
                incoming[edge.To]++;
            }

            var outgoing = forward.ToLookup(e => e.From);
            var ready = new Queue<int>(discovery.Where(v => incoming[v] == 0));
            foreach (var source in ready)
            {
                vertices[source].Layer = source == 0 ? 0 : 1;
            }

            while (ready.Count > 0)
            {
                var vertex = vertices[ready.Dequeue()];
                foreach (var edge in outgoing[vertex.Index])
                {
                    var target = vertices[edge.To];
                    target.Layer = Math.Max(target.Layer, vertex.Layer + 1);
                    if (--incoming[edge.To] == 0)
                    {
                        ready.Enqueue(edge.To);
                    }
                }
            }
        }

        /// <summary>Gives each forward edge a dummy vertex on every layer it crosses, and links neighbouring layers.</summary>
        public void InsertDummies()
        {
            foreach (var edge in edges.Where(e => !e.Backward))
            {
                edge.Chain.Add(edge.From);
                for (var layer = vertices[edge.From].Layer + 1; layer < vertices[edge.To].Layer; layer++)
                {
                    var dummy = new Vertex(vertices.Count, null, 0, 0) { IsDummy = true, Layer = layer };
                    vertices.Add(dummy);
                    discovery.Add(dummy.Index);
                    edge.Chain.Add(dummy.Index);
                }

                edge.Chain.Add(edge.To);
                for (var i = 1; i < edge.Chain.Count; i++)
                {
                    vertices[edge.Chain[i - 1]].Down.Add(edge.Chain[i]);
                    vertices[edge.Chain[i]].Up.Add(edge.Chain[i - 1]);
                }
            }

            var rank = new int[vertices.Count];
            for (var i = 0; i < discovery.Count; i++)
            {
                rank[discovery[i]] = i;
            }

            // A dummy starts right after the vertex its edge leaves, so an edge's bend points start under its source.
            var key = vertices.Select(v => v.IsDummy ? rank[v.Up[0]] + 0.5 : rank[v.Index]).ToArray();
            layers = [.. vertices.GroupBy(v => v.Layer).OrderBy(g => g.Key)
                .Select(g => g.OrderBy(v => key[v.Index]).Select(v => v.Index).ToList())];
            Renumber();
        }

        /// <summary>Barycentre sweeps down and up the layers, keeping the order with the fewest crossings.</summary>
        public void Order()
        {
            var best = layers.Select(l => l.ToList()).ToList();
            var fewest = Crossings();
            for (var sweep = 0; sweep < OrderingSweeps && fewest > 0; sweep++)
            {
                var down = sweep % 2 == 0;
                for (var k = down ? 1 : layers.Count - 2; down ? k < layers.Count : k >= 0; k += down ? 1 : -1)
                {
                    layers[k] = [.. layers[k].OrderBy(v => Barycentre(vertices[v], down ? vertices[v].Up : vertices[v].Down))];
                    Renumber();
                }

                var crossings = Crossings();
                if (crossings < fewest)
                {
                    fewest = crossings;
                    best = [.. layers.Select(l => l.ToList())];
                }
            }

            layers = best;
            Renumber();
        }

        /// <summary>Centres each box over the boxes it connects to, as far as the layer's order and gaps allow.</summary>
        public void Place()
        {
            foreach (var layer in layers)
            {
                var x = 0.0;
                for (var i = 0; i < layer.Count; i++)
                {
                    x += i == 0 ? 0 : Separation(vertices[layer[i - 1]], vertices[layer[i]]);
                    vertices[layer[i]].X = x;
                }
            }

            for (var sweep = 0; sweep < PlacementSweeps; sweep++)
            {
                var down = sweep % 2 == 0;
                for (var k = down ? 1 : layers.Count - 2; down ? k < layers.Count : k >= 0; k += down ? 1 : -1)
                {
                    var layer = layers[k];
                    var desired = layer.Select(v => Mean(vertices[v], down ? vertices[v].Up : vertices[v].Down)).ToArray();
                    var separation = layer.Select((v, i) => i == 0 ? 0 : Separation(vertices[layer[i - 1]], vertices[v])).ToArray();
                    var placed = Isotonic(desired, separation, [.. layer.Select(v => vertices[v].IsDummy ? DummyWeight : StepWeight)]);
                    for (var i = 0; i < layer.Count; i++)
                    {
                        vertices[layer[i]].X = placed[i];
                    }
                }
            }

            var left = vertices.Min(v => v.X - (v.Width / 2));
            var top = Margin;
            foreach (var layer in layers)
            {
                var height = layer.Max(v => vertices[v].Height);
                foreach (var v in layer)
                {
                    vertices[v].X = Math.Round(vertices[v].X + Margin - left);
                    vertices[v].Y = top + (height / 2);
                }

                top += height + LayerGap;
            }
        }

        public WorkflowDiagram Draw()
        {
            var nodes = new List<DiagramNode>();
            foreach (var vertex in vertices.Where(v => !v.IsDummy))
            {
                var x = vertex.X - (vertex.Width / 2);
                var y = vertex.Top;
                if (vertex.Step is not { } step)
                {
                    nodes.Add(new(StartNodeId, null, "start", "开始", x, y, vertex.Width, vertex.Height));
                    continue;
                }

                nodes.Add(new(step.Id, null, WorkflowNames.Kind(step), step.Title, x, y, vertex.Width, vertex.Height));
                if (step is ParallelStep parallel)
                {
                    nodes.AddRange(parallel.Branches.Select((b, i) => new DiagramNode(
                        b.Id, step.Id, "branch", b.Title, x + ParallelPaddingX + (i * (BranchWidth + BranchGap)), y + ParallelPaddingTop,
                        BranchWidth, BranchHeight)));
                }
            }

            var right = vertices.Max(v => v.X + (v.Width / 2));
            var lanes = edges.Where(e => e.Backward).Select((e, i) => (e, right + ((i + 1) * LaneGap))).ToDictionary();
            var (exits, entries) = Ports(lanes);
            var drawn = edges.Select(edge => new DiagramEdge(
                edge.FromId,
                edge.Outcome,
                edge.ToId,
                Simplify(edge.Backward ? BackwardRoute(edge, exits[edge], entries[edge], lanes[edge]) : ForwardRoute(edge, exits[edge], entries[edge]))))
                .ToList();

            var bottom = vertices.Max(v => v.Bottom);
            return new(nodes, drawn, right + ((lanes.Count + 1) * LaneGap) + Margin, bottom + (LayerGap / 2) + Margin);
        }

        /// <summary>
        /// Where each edge leaves its source's bottom and enters its target's top: spread along a box's side in the order
        /// of where the edges go (or come from), backward edges rightmost; at the middle of a joint step (where BPMN draws
        /// its gateways) and at the tip of a round or diamond shape.
        /// </summary>
        private (Dictionary<Edge, double> Exits, Dictionary<Edge, double> Entries) Ports(Dictionary<Edge, double> lanes)
        {
            var exits = Spread(edges.GroupBy(e => e.From), e => e.Backward ? lanes[e] : vertices[e.Chain[1]].X);
            var entries = Spread(edges.GroupBy(e => e.To), e => e.Backward ? lanes[e] : vertices[e.Chain[^2]].X);
            return (exits, entries);

            Dictionary<Edge, double> Spread(IEnumerable<IGrouping<int, Edge>> groups, Func<Edge, double> otherEnd)
            {
                var ports = new Dictionary<Edge, double>();
                foreach (var group in groups)
                {
                    var vertex = vertices[group.Key];
                    var sorted = group.OrderBy(otherEnd).ToList();
                    var spread = vertex.Step is TaskStep or CountersignStep;
                    for (var i = 0; i < sorted.Count; i++)
                    {
                        ports[sorted[i]] = spread ? vertex.X - (vertex.Width / 2) + (vertex.Width * (i + 1) / (sorted.Count + 1)) : vertex.X;
                    }
                }

                return ports;
            }
        }

        /// <summary>Down from the source's bottom, across in the gap between layers, down into the next box's top.</summary>
        private List<DiagramPoint> ForwardRoute(Edge edge, double exit, double entry)
        {
            var points = new List<DiagramPoint> { new(exit, vertices[edge.From].Bottom) };
            for (var i = 1; i < edge.Chain.Count; i++)
            {
                var previous = vertices[edge.Chain[i - 1]];
                var next = vertices[edge.Chain[i]];
                var x = next.IsDummy ? next.X : StraightInto(next, points[^1].X) ?? entry;
                var gap = LayerBottom(previous.Layer) + (LayerGap / 2);
                points.Add(new(points[^1].X, gap));
                points.Add(new(x, gap));
                points.Add(next.IsDummy ? new(x, next.Y) : new(x, next.Top));
            }

            return points;
        }

        /// <summary>An edge coming down at <paramref name="x"/> goes straight into a box it is the only edge into, if it is over it.</summary>
        private double? StraightInto(Vertex target, double x) =>
            target.Step is TaskStep or CountersignStep
            && edges.Count(e => e.To == target.Index) == 1
            && Math.Abs(x - target.X) < target.Width / 3 ? x : null;

        /// <summary>
        /// Out of the source's bottom, right in the gap below it to the edge's own lane right of every box,
        /// up to the gap above the target, left and down into the target's top.
        /// </summary>
        private List<DiagramPoint> BackwardRoute(Edge edge, double exit, double entry, double lane)
        {
            var source = vertices[edge.From];
            var target = vertices[edge.To];
            var below = LayerBottom(source.Layer) + (LayerGap / 4);
            var above = layers[target.Layer].Min(v => vertices[v].Top) - (LayerGap / 4);
            return [new(exit, source.Bottom), new(exit, below), new(lane, below), new(lane, above), new(entry, above), new(entry, target.Top)];
        }

        private double LayerBottom(int layer) => layers[layer].Max(v => vertices[v].Bottom);

        private void Renumber()
        {
            foreach (var layer in layers)
            {
                for (var i = 0; i < layer.Count; i++)
                {
                    vertices[layer[i]].Position = i;
                }
            }
        }

        private double Barycentre(Vertex vertex, List<int> neighbours) =>
            neighbours.Count == 0 ? vertex.Position : neighbours.Average(n => (double)vertices[n].Position);

        private double Mean(Vertex vertex, List<int> neighbours) =>
            neighbours.Count == 0 ? vertex.X : neighbours.Average(n => vertices[n].X);

        private int Crossings()
        {
            var total = 0;
            for (var k = 0; k + 1 < layers.Count; k++)
            {
                var links = layers[k].SelectMany(u => vertices[u].Down.Select(d => (Top: vertices[u].Position, Bottom: vertices[d].Position))).ToList();
                for (var i = 0; i < links.Count; i++)
                {
                    for (var j = i + 1; j < links.Count; j++)
                    {
                        if ((links[i].Top - links[j].Top) * (links[i].Bottom - links[j].Bottom) < 0)
                        {
                            total++;
                        }
                    }
                }
            }

            return total;
        }

        private static double Separation(Vertex left, Vertex right) =>
            (left.Width / 2) + (left.IsDummy || right.IsDummy ? DummyGap : NodeGap) + (right.Width / 2)
            + (left.Step is EndStep && !right.IsDummy ? EndLabelRoom : 0);

        /// <summary>
        /// The positions closest (least squares, by <paramref name="weight"/>) to <paramref name="desired"/> that keep each at least
        /// <paramref name="separation"/>[i] right of the one before: pool-adjacent-violators on the offsets.
        /// </summary>
        private static double[] Isotonic(double[] desired, double[] separation, double[] weight)
        {
            var offsets = new double[desired.Length];
            for (var i = 1; i < desired.Length; i++)
            {
                offsets[i] = offsets[i - 1] + separation[i];
            }

            var blocks = new List<(double Sum, double Weight, int Count)>();
            for (var i = 0; i < desired.Length; i++)
            {
                blocks.Add(((desired[i] - offsets[i]) * weight[i], weight[i], 1));
                while (blocks.Count > 1 && blocks[^2].Sum / blocks[^2].Weight > blocks[^1].Sum / blocks[^1].Weight)
                {
                    var merged = (blocks[^2].Sum + blocks[^1].Sum, blocks[^2].Weight + blocks[^1].Weight, blocks[^2].Count + blocks[^1].Count);
                    blocks.RemoveAt(blocks.Count - 1);
                    blocks[^1] = merged;
                }
            }

            var result = new double[desired.Length];
            var index = 0;
            foreach (var (sum, total, count) in blocks)
            {
                for (var i = 0; i < count; i++, index++)
                {
                    result[index] = (sum / total) + offsets[index];
                }
            }

            return result;
        }

        /// <summary>Drops repeated points and points in the middle of a straight run.</summary>
        private static List<DiagramPoint> Simplify(List<DiagramPoint> points)
        {
            var result = new List<DiagramPoint>();
            foreach (var point in points)
            {
                if (result.Count > 0 && Near(result[^1], point))
                {
                    continue;
                }

                if (result.Count > 1 && Collinear(result[^2], result[^1], point))
                {
                    result[^1] = point;
                    continue;
                }

                result.Add(point);
            }

            return result.Count == 1 ? [result[0], result[0]] : result;
        }

        private static bool Near(DiagramPoint a, DiagramPoint b) => Math.Abs(a.X - b.X) < 0.01 && Math.Abs(a.Y - b.Y) < 0.01;

        private static bool Collinear(DiagramPoint a, DiagramPoint b, DiagramPoint c) =>
            (Math.Abs(a.X - b.X) < 0.01 && Math.Abs(b.X - c.X) < 0.01) || (Math.Abs(a.Y - b.Y) < 0.01 && Math.Abs(b.Y - c.Y) < 0.01);
    }
}
