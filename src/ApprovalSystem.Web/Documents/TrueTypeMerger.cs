using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// Writes one small TrueType program from glyphs of one or more faces (docs/decisions/0018): glyph i + 1 is the i-th
/// glyph asked for, glyph 0 the first face's <c>.notdef</c>. Composite glyphs are flattened into simple ones (in a
/// document their components are rarely shared, and each would cost a glyph header, a loca and an hmtx entry), and
/// every coordinate is scaled to <see cref="UnitsPerEm"/> units per em. WenQuanYi Micro Hei draws on a 512 grid in its
/// 2048 units; at 256 units a point moves by at most 1/512 em (0.02 pt in 12 pt text, 0.08 pt in the 40 pt titles) and
/// the deltas fit in one byte more often: the merged font is 7-10 % smaller than at 512 units (which was 9 % smaller than
/// at 2048), and poppler's picture differs from PDFsharp's at glyph edges by anti-aliasing only (DocumentSizeTests).
/// Tables: glyf, loca, hmtx, head, hhea, maxp, no hinting: PDF viewers draw unhinted.
/// </summary>
public static class TrueTypeMerger
{
    public const int UnitsPerEm = 256;

    private const int MaxDepth = 8; // composites nest a level or two; deeper is a loop

    /// <summary>Enough for every glyph of the faces documents draw from; past it glyphs are encoded each time.</summary>
    private const int MaxCachedGlyphs = 65_536;

    /// <summary>Encoded simple glyphs by (the face's units per em, the merged font's) and the glyph's data in its face.</summary>
    private static readonly ConcurrentDictionary<(int From, int To), ConcurrentDictionary<byte[], Encoded>> Encodings = new();

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _key;

    /// <summary>The merged program: glyph i + 1 is <paramref name="glyphs"/>[i] (a face index and a glyph of that face).</summary>
    public static byte[] Merge(IReadOnlyList<ReadOnlyMemory<byte>> faces, IReadOnlyList<(int Face, int Glyph)> glyphs)
    {
        var sources = faces.Select(f => new Face(f)).ToList();
        var unitsPerEm = Math.Min(UnitsPerEm, sources.Min(f => f.UnitsPerEm));
        var glyf = new List<byte>(glyphs.Count * 96);
        var offsets = new int[glyphs.Count + 2];
        var hmtx = new byte[4 * (glyphs.Count + 1)];
        var (xMin, yMin, xMax, yMax) = (int.MaxValue, int.MaxValue, int.MinValue, int.MinValue);
        var (maxPoints, maxContours, maxAdvance, minLsb, minRsb, maxExtent) = (0, 0, 0, int.MaxValue, int.MaxValue, int.MinValue);
        for (var i = 0; i <= glyphs.Count; i++)
        {
            var (face, glyph) = i == 0 ? (sources[0], 0) : (sources[glyphs[i - 1].Face], glyphs[i - 1].Glyph);
            var scale = (double)unitsPerEm / face.UnitsPerEm;
            var encoded = EncodedGlyph(face, glyph, unitsPerEm);
            var (advance, lsb, headerXMin) = face.Metrics(glyph);
            var newAdvance = Round(advance * scale);
            var newLsb = Round(lsb * scale);
            offsets[i] = glyf.Count;
            if (encoded.Points > 0)
            {
                var box = encoded.Box;
                // FreeType places a glyph at (its xMin - its left side bearing): keep that offset (0 in the faces seen).
                newLsb = box.XMin - Round((headerXMin - lsb) * scale);
                glyf.AddRange(encoded.Bytes);
                (xMin, yMin, xMax, yMax) = (Math.Min(xMin, box.XMin), Math.Min(yMin, box.YMin), Math.Max(xMax, box.XMax), Math.Max(yMax, box.YMax));
                (maxPoints, maxContours) = (Math.Max(maxPoints, encoded.Points), Math.Max(maxContours, encoded.Contours));
                (minLsb, minRsb) = (Math.Min(minLsb, newLsb), Math.Min(minRsb, newAdvance - newLsb - (box.XMax - box.XMin)));
                maxExtent = Math.Max(maxExtent, newLsb + (box.XMax - box.XMin));
            }

            maxAdvance = Math.Max(maxAdvance, newAdvance);
            BinaryPrimitives.WriteUInt16BigEndian(hmtx.AsSpan(4 * i), (ushort)newAdvance);
            BinaryPrimitives.WriteInt16BigEndian(hmtx.AsSpan((4 * i) + 2), (short)newLsb);
        }

        offsets[^1] = glyf.Count;
        var shortLoca = glyf.Count / 2 <= ushort.MaxValue;
        var loca = new byte[(shortLoca ? 2 : 4) * offsets.Length];
        for (var i = 0; i < offsets.Length; i++)
        {
            if (shortLoca)
            {
                BinaryPrimitives.WriteUInt16BigEndian(loca.AsSpan(2 * i), (ushort)(offsets[i] / 2));
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(loca.AsSpan(4 * i), (uint)offsets[i]);
            }
        }

        var main = sources[0];
        var mainScale = (double)unitsPerEm / main.UnitsPerEm;
        var head = main.Table("head").ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(8), 0); // checkSumAdjustment, set last
        BinaryPrimitives.WriteUInt16BigEndian(head.AsSpan(18), (ushort)unitsPerEm);
        if (maxPoints > 0)
        {
            BinaryPrimitives.WriteInt16BigEndian(head.AsSpan(36), (short)xMin);
            BinaryPrimitives.WriteInt16BigEndian(head.AsSpan(38), (short)yMin);
            BinaryPrimitives.WriteInt16BigEndian(head.AsSpan(40), (short)xMax);
            BinaryPrimitives.WriteInt16BigEndian(head.AsSpan(42), (short)yMax);
        }

        BinaryPrimitives.WriteInt16BigEndian(head.AsSpan(50), (short)(shortLoca ? 0 : 1));
        var hhea = main.Table("hhea").ToArray();
        foreach (var at in new[] { 4, 6, 8 }) // ascender, descender, line gap
        {
            BinaryPrimitives.WriteInt16BigEndian(hhea.AsSpan(at), (short)Round(BinaryPrimitives.ReadInt16BigEndian(hhea.AsSpan(at)) * mainScale));
        }

        BinaryPrimitives.WriteUInt16BigEndian(hhea.AsSpan(10), (ushort)maxAdvance);
        BinaryPrimitives.WriteInt16BigEndian(hhea.AsSpan(12), (short)(maxPoints > 0 ? minLsb : 0));
        BinaryPrimitives.WriteInt16BigEndian(hhea.AsSpan(14), (short)(maxPoints > 0 ? minRsb : 0));
        BinaryPrimitives.WriteInt16BigEndian(hhea.AsSpan(16), (short)(maxPoints > 0 ? maxExtent : 0));
        BinaryPrimitives.WriteUInt16BigEndian(hhea.AsSpan(34), (ushort)(glyphs.Count + 1));
        var maxp = main.Table("maxp").ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(maxp.AsSpan(4), (ushort)(glyphs.Count + 1));
        if (maxp.Length >= 32)
        {
            BinaryPrimitives.WriteUInt16BigEndian(maxp.AsSpan(6), (ushort)maxPoints);
            BinaryPrimitives.WriteUInt16BigEndian(maxp.AsSpan(8), (ushort)maxContours);
            foreach (var at in new[] { 10, 12, 28, 30 }) // composite points, contours, component elements and depth
            {
                BinaryPrimitives.WriteUInt16BigEndian(maxp.AsSpan(at), 0);
            }
        }

        return TrueTypeReducer.WriteFont(new SortedDictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal)
        {
            ["head"] = head, ["hhea"] = hhea, ["maxp"] = maxp, ["hmtx"] = hmtx, ["loca"] = loca, ["glyf"] = glyf.ToArray(),
        });
    }

    private static int Round(double value) => (int)Math.Round(value, MidpointRounding.AwayFromZero);

    /// <summary>A glyph of a face as this merger writes it at <paramref name="unitsPerEm"/>, from <see cref="Encodings"/> when
    /// it was written before: a glyph's outline is its data in the face and, for a composite, its components' data, so the
    /// same data at the same scale always encodes to the same bytes (and the same few thousand glyphs recur in every document).</summary>
    private static Encoded EncodedGlyph(Face face, int glyph, int unitsPerEm)
    {
        var key = _key ??= new ArrayBufferWriter<byte>(1024);
        key.ResetWrittenCount();
        if (!face.TryWriteKey(glyph, key, 0))
        {
            return Encode(face, glyph, unitsPerEm); // not as expected: as before, which says what is wrong
        }

        var cache = Encodings.GetOrAdd((face.UnitsPerEm, unitsPerEm), _ => new ConcurrentDictionary<byte[], Encoded>(GlyphDataComparer.Instance));
        var lookup = cache.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(key.WrittenSpan, out var encoded))
        {
            return encoded;
        }

        encoded = Encode(face, glyph, unitsPerEm);
        if (cache.Count < MaxCachedGlyphs)
        {
            cache.TryAdd(key.WrittenSpan.ToArray(), encoded);
        }

        return encoded;
    }

    /// <summary>A glyph's outline scaled to <paramref name="unitsPerEm"/> and encoded (no points: empty).</summary>
    private static Encoded Encode(Face face, int glyph, int unitsPerEm)
    {
        var scale = (double)unitsPerEm / face.UnitsPerEm;
        var ends = new List<int>();
        var points = face.Outline(glyph, ends, 0).Select(p => (X: Round(p.X * scale), Y: Round(p.Y * scale), p.OnCurve)).ToList();
        if (points.Count == 0)
        {
            return new Encoded([], default, 0, 0);
        }

        var box = (points.Min(p => p.X), points.Min(p => p.Y), points.Max(p => p.X), points.Max(p => p.Y));
        var bytes = new List<byte>(96);
        Encode(bytes, points, ends, box);
        return new Encoded([.. bytes], box, points.Count, ends.Count);
    }

    /// <summary>A simple glyph: header, contour ends, no instructions, flags (runs of equal flags repeated), x and y deltas
    /// (0, 1 or 2 bytes each); padded to an even length (short loca offsets count words).</summary>
    private static void Encode(List<byte> glyf, List<(int X, int Y, bool OnCurve)> points, List<int> ends, (int, int, int, int) box)
    {
        void Int16(int value)
        {
            glyf.Add((byte)(value >> 8));
            glyf.Add((byte)value);
        }

        Int16(ends.Count);
        Int16(box.Item1);
        Int16(box.Item2);
        Int16(box.Item3);
        Int16(box.Item4);
        ends.ForEach(e => Int16(e));
        Int16(0); // instruction length
        var flags = new byte[points.Count];
        var xs = new List<byte>(2 * points.Count);
        var ys = new List<byte>(2 * points.Count);
        var (px, py) = (0, 0);
        for (var i = 0; i < points.Count; i++)
        {
            var (x, y, on) = points[i];
            flags[i] = (byte)((on ? 0x01 : 0) | Delta(x - px, xs, 0x02, 0x10) | Delta(y - py, ys, 0x04, 0x20));
            (px, py) = (x, y);
        }

        for (var i = 0; i < flags.Length;)
        {
            var run = 1;
            while (i + run < flags.Length && flags[i + run] == flags[i] && run < 256)
            {
                run++;
            }

            if (run > 2)
            {
                glyf.Add((byte)(flags[i] | 0x08)); // repeat
                glyf.Add((byte)(run - 1));
            }
            else
            {
                glyf.AddRange(flags.AsSpan(i, run));
            }

            i += run;
        }

        glyf.AddRange(xs);
        glyf.AddRange(ys);
        if (glyf.Count % 2 == 1)
        {
            glyf.Add(0);
        }
    }

    /// <summary>Writes a coordinate delta and returns its flag bits: none for 0 (same), one byte with its sign in a flag, else two.</summary>
    private static int Delta(int delta, List<byte> to, int shortFlag, int sameOrPositive)
    {
        if (delta == 0)
        {
            return sameOrPositive;
        }

        if (delta is >= -255 and <= 255)
        {
            to.Add((byte)Math.Abs(delta));
            return shortFlag | (delta > 0 ? sameOrPositive : 0);
        }

        to.Add((byte)(delta >> 8));
        to.Add((byte)delta);
        return 0;
    }

    /// <summary>One source face: its glyphs as outlines, composites assembled, in the face's units.</summary>
    private sealed class Face
    {
        private readonly ReadOnlyMemory<byte> _font;
        private readonly Dictionary<string, (int Offset, int Length)> _tables;
        private readonly int _numGlyphs;
        private readonly int _numberOfHMetrics;
        private readonly bool _longLoca;

        public Face(ReadOnlyMemory<byte> font)
        {
            _font = font;
            _tables = TrueTypeReducer.ReadTables(font.Span);
            _numGlyphs = BinaryPrimitives.ReadUInt16BigEndian(Table("maxp")[4..]);
            _numberOfHMetrics = BinaryPrimitives.ReadUInt16BigEndian(Table("hhea")[34..]);
            _longLoca = BinaryPrimitives.ReadInt16BigEndian(Table("head")[50..]) == 1;
            UnitsPerEm = BinaryPrimitives.ReadUInt16BigEndian(Table("head")[18..]);
            if (UnitsPerEm is < 16 or > 16384 || _numberOfHMetrics == 0)
            {
                throw new InvalidDataException($"A font with {UnitsPerEm} units per em and {_numberOfHMetrics} horizontal metrics.");
            }
        }

        public int UnitsPerEm { get; }

        public ReadOnlySpan<byte> Table(string tag) => TrueTypeReducer.Table(_font.Span, _tables, tag);

        /// <summary>The advance, the left side bearing and the header's xMin of a glyph.</summary>
        public (int Advance, int Lsb, int XMin) Metrics(int gid)
        {
            var hmtx = Table("hmtx");
            var metric = Math.Min(gid, _numberOfHMetrics - 1);
            var lsb = gid < _numberOfHMetrics ? BinaryPrimitives.ReadInt16BigEndian(hmtx[((4 * gid) + 2)..])
                : BinaryPrimitives.ReadInt16BigEndian(hmtx[((4 * _numberOfHMetrics) + (2 * (gid - _numberOfHMetrics)))..]);
            var glyph = Glyph(gid);
            var xMin = glyph.Length >= 10 ? BinaryPrimitives.ReadInt16BigEndian(glyph[2..]) : lsb;
            return (BinaryPrimitives.ReadUInt16BigEndian(hmtx[(4 * metric)..]), lsb, xMin);
        }

        /// <summary>The points of a glyph in the face's units; the index of each contour's last point is added to <paramref name="ends"/>.</summary>
        public List<(double X, double Y, bool OnCurve)> Outline(int gid, List<int> ends, int depth)
        {
            var glyph = Glyph(gid);
            var points = new List<(double X, double Y, bool OnCurve)>();
            if (glyph.Length < 10)
            {
                return points;
            }

            var contours = BinaryPrimitives.ReadInt16BigEndian(glyph);
            if (contours >= 0)
            {
                ReadSimple(glyph, contours, points, ends);
                return points;
            }

            if (depth >= MaxDepth)
            {
                throw new InvalidDataException($"Glyph {gid}: composite glyphs nested too deep.");
            }

            for (var at = 10; ;)
            {
                var flags = BinaryPrimitives.ReadUInt16BigEndian(glyph[at..]);
                var component = BinaryPrimitives.ReadUInt16BigEndian(glyph[(at + 2)..]);
                at += 4;
                int arg1, arg2;
                if ((flags & 0x0001) != 0) // words
                {
                    (arg1, arg2) = (BinaryPrimitives.ReadInt16BigEndian(glyph[at..]), BinaryPrimitives.ReadInt16BigEndian(glyph[(at + 2)..]));
                    if ((flags & 0x0002) == 0)
                    {
                        (arg1, arg2) = ((ushort)arg1, (ushort)arg2);
                    }

                    at += 4;
                }
                else
                {
                    (arg1, arg2) = (flags & 0x0002) != 0 ? ((int)(sbyte)glyph[at], (int)(sbyte)glyph[at + 1]) : ((int)glyph[at], (int)glyph[at + 1]);
                    at += 2;
                }

                // x' = a x + c y, y' = b x + d y (F2Dot14 values).
                double a = 1, b = 0, c = 0, d = 1;
                if ((flags & 0x0008) != 0)
                {
                    a = d = F2Dot14(glyph[at..]);
                    at += 2;
                }
                else if ((flags & 0x0040) != 0)
                {
                    (a, d) = (F2Dot14(glyph[at..]), F2Dot14(glyph[(at + 2)..]));
                    at += 4;
                }
                else if ((flags & 0x0080) != 0)
                {
                    (a, b, c, d) = (F2Dot14(glyph[at..]), F2Dot14(glyph[(at + 2)..]), F2Dot14(glyph[(at + 4)..]), F2Dot14(glyph[(at + 6)..]));
                    at += 8;
                }

                var childEnds = new List<int>();
                var child = Outline(component, childEnds, depth + 1).Select(p => ((a * p.X) + (c * p.Y), (b * p.X) + (d * p.Y), p.OnCurve)).ToList();
                double dx, dy;
                if ((flags & 0x0002) != 0)
                {
                    (dx, dy) = (arg1, arg2);
                    if ((flags & 0x0800) != 0) // the offset is scaled with the component
                    {
                        (dx, dy) = ((a * arg1) + (c * arg2), (b * arg1) + (d * arg2));
                    }
                }
                else
                {
                    // Point matching: the component's point arg2 lands on the assembled glyph's point arg1.
                    if (arg1 >= points.Count || arg2 >= child.Count)
                    {
                        throw new InvalidDataException($"Glyph {gid}: a component matches a point that does not exist.");
                    }

                    (dx, dy) = (points[arg1].X - child[arg2].Item1, points[arg1].Y - child[arg2].Item2);
                }

                var first = points.Count;
                points.AddRange(child.Select(p => (p.Item1 + dx, p.Item2 + dy, p.OnCurve)));
                ends.AddRange(childEnds.Select(e => e + first));
                if ((flags & 0x0020) == 0) // no more components
                {
                    return points;
                }
            }
        }

        /// <summary>Writes what a glyph's outline is made of: its data (length first) and, for a composite, each component's in
        /// the order they are read. False for a glyph not as expected (an unknown glyph, components nested too deep, cut short).</summary>
        public bool TryWriteKey(int gid, IBufferWriter<byte> key, int depth)
        {
            if (gid < 0 || gid >= _numGlyphs || depth >= MaxDepth)
            {
                return false;
            }

            var glyph = Glyph(gid);
            BinaryPrimitives.WriteInt32LittleEndian(key.GetSpan(4), glyph.Length);
            key.Advance(4);
            key.Write(glyph);
            if (glyph.Length < 10 || BinaryPrimitives.ReadInt16BigEndian(glyph) >= 0)
            {
                return true;
            }

            for (var at = 10; ;)
            {
                if (at + 4 > glyph.Length)
                {
                    return false;
                }

                var flags = BinaryPrimitives.ReadUInt16BigEndian(glyph[at..]);
                var component = BinaryPrimitives.ReadUInt16BigEndian(glyph[(at + 2)..]);
                at += 4 + ((flags & 0x0001) != 0 ? 4 : 2)
                    + ((flags & 0x0008) != 0 ? 2 : (flags & 0x0040) != 0 ? 4 : (flags & 0x0080) != 0 ? 8 : 0);
                if (!TryWriteKey(component, key, depth + 1))
                {
                    return false;
                }

                if ((flags & 0x0020) == 0)
                {
                    return true;
                }
            }
        }

        public ReadOnlySpan<byte> Glyph(int gid)
        {
            if (gid < 0 || gid >= _numGlyphs)
            {
                throw new InvalidDataException($"Glyph {gid} is not in the font ({_numGlyphs} glyphs).");
            }

            var loca = Table("loca");
            var (start, end) = _longLoca
                ? ((int)BinaryPrimitives.ReadUInt32BigEndian(loca[(4 * gid)..]), (int)BinaryPrimitives.ReadUInt32BigEndian(loca[(4 * (gid + 1))..]))
                : (2 * BinaryPrimitives.ReadUInt16BigEndian(loca[(2 * gid)..]), 2 * BinaryPrimitives.ReadUInt16BigEndian(loca[(2 * (gid + 1))..]));
            return end > start ? Table("glyf")[start..end] : [];
        }

        private static double F2Dot14(ReadOnlySpan<byte> at) => BinaryPrimitives.ReadInt16BigEndian(at) / 16384.0;

        private static void ReadSimple(ReadOnlySpan<byte> glyph, int contours, List<(double X, double Y, bool OnCurve)> points, List<int> ends)
        {
            var first = points.Count;
            var count = 0;
            for (var i = 0; i < contours; i++)
            {
                count = BinaryPrimitives.ReadUInt16BigEndian(glyph[(10 + (2 * i))..]) + 1;
                ends.Add(first + count - 1);
            }

            var p = 10 + (2 * contours);
            p += 2 + BinaryPrimitives.ReadUInt16BigEndian(glyph[p..]); // instructions
            var flags = new byte[count];
            for (var i = 0; i < count;)
            {
                var flag = glyph[p++];
                flags[i++] = flag;
                if ((flag & 0x08) != 0) // repeated
                {
                    for (var r = glyph[p++]; r > 0 && i < count; r--)
                    {
                        flags[i++] = flag;
                    }
                }
            }

            var xs = Coordinates(glyph, ref p, flags, 0x02, 0x10);
            var ys = Coordinates(glyph, ref p, flags, 0x04, 0x20);
            for (var i = 0; i < count; i++)
            {
                points.Add((xs[i], ys[i], (flags[i] & 0x01) != 0));
            }
        }

        private static int[] Coordinates(ReadOnlySpan<byte> glyph, ref int p, byte[] flags, int shortFlag, int sameOrPositive)
        {
            var values = new int[flags.Length];
            var value = 0;
            for (var i = 0; i < flags.Length; i++)
            {
                if ((flags[i] & shortFlag) != 0)
                {
                    value += (flags[i] & sameOrPositive) != 0 ? glyph[p] : -glyph[p];
                    p++;
                }
                else if ((flags[i] & sameOrPositive) == 0)
                {
                    value += BinaryPrimitives.ReadInt16BigEndian(glyph[p..]);
                    p += 2;
                }

                values[i] = value;
            }

            return values;
        }
    }

    /// <summary>A glyph as written into the merged font (its bytes padded to an even length), its box, points and contours.</summary>
    private sealed record Encoded(byte[] Bytes, (int XMin, int YMin, int XMax, int YMax) Box, int Points, int Contours);

    /// <summary>Compares glyph data by content, looked up by a span of the face without copying it.</summary>
    private sealed class GlyphDataComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly GlyphDataComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
