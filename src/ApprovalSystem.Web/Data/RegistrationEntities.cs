namespace ApprovalSystem.Web.Data;

/// <summary>
/// A text message waiting for, or handed to, the SMS gateway (短信发件箱). The outbox is the gateway's queue, so it keeps the
/// whole mobile number; pages show it masked (decision 0041).
/// </summary>
public sealed class SmsMessage
{
    public long Id { get; set; }

    public string Mobile { get; set; } = "";

    public string Text { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the configured gateway accepted it; never for the <c>Outbox</c> provider, which sends nothing.</summary>
    public DateTimeOffset? SentAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>The gateway's last refusal, at most <see cref="ErrorLength"/> characters.</summary>
    public string? LastError { get; set; }

    public const int ErrorLength = 200;
}

/// <summary>
/// One request for a registration code (注册验证): what the applicant filled in, kept on the server until the code texted to
/// the mobile number is typed back. Every request makes one row, whether the identifier was free or not, so the limits per
/// mobile number and per client address count rows here; only a free identifier's row has a code and a password hash.
/// </summary>
public sealed class PendingRegistration
{
    /// <summary>128 random bits, hex: the reference step 2's form carries.</summary>
    public string Id { get; set; } = "";

    public ApplicantType Type { get; set; }

    public string? Name { get; set; }

    /// <summary>The normalized ID number or credit code; empty on a request for a taken identifier.</summary>
    public string? Identifier { get; set; }

    public string? LegalRepresentative { get; set; }

    public string Mobile { get; set; } = "";

    public string ClientAddress { get; set; } = "";

    /// <summary>The password's hash as Identity makes it (never the password); null when the identifier was taken.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>SHA-256 of the reference and the code; null when the identifier was taken (no code was sent).</summary>
    public string? CodeHash { get; set; }

    public int FailedTries { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}
