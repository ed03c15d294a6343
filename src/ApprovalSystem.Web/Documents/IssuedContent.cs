using System.Text.Json;
using System.Text.Json.Serialization;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// What a document says, fixed at the act that issued it and kept as JSON until it is rendered
/// (<see cref="Data.PendingDocument.Content"/>): rendered later, it still says what the case said then.
/// </summary>
public static class IssuedContent
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private sealed record Snapshot(string Title, string? DocumentNumber, string[][] Fields, string[] Paragraphs, string Authority, DateOnly Date,
        string? QrPayload, CertificateLayout? Layout, string? IssuerCode = null);

    public static string Write(DocumentContent content) => JsonSerializer.Serialize(
        new Snapshot(content.Title, content.DocumentNumber, [.. content.Fields.Select(f => new[] { f.Label, f.Value })], [.. content.Paragraphs],
            content.Authority, content.Date, content.QrPayload, content.Layout, content.IssuerCode),
        Json);

    public static DocumentContent Read(string json)
    {
        var s = JsonSerializer.Deserialize<Snapshot>(json, Json) ?? throw new JsonException("An issued document's content is empty.");
        return new DocumentContent(s.Title, s.DocumentNumber, [.. s.Fields.Select(f => (f[0], f[1]))], s.Paragraphs, s.Authority, s.Date)
        {
            QrPayload = s.QrPayload,
            Layout = s.Layout,
            IssuerCode = s.IssuerCode,
        };
    }
}
