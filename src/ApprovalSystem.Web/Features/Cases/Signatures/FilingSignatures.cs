using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Account.Certificates;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Cases.Signatures;

/// <summary>
/// An applicant's signature of its filing (申请人数字签名, decision 0051). The applicant signs, with its own key, the case's
/// canonical text (<see cref="Canonical"/>); the server never signs for it: it hands out the text to sign, takes a detached
/// CMS/PKCS#7 signature made with a certificate bound to the filer's account, and verifies it against the stored case each time
/// it is shown, so any later change to the form data or the materials breaks it visibly.
/// </summary>
public static class FilingSignatures
{
    public const string Verified = "申请人已用数字证书签名，验证通过";

    /// <summary>The journal's word for an accepted signature.</summary>
    public const string JournalAction = "数字证书签名";

    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);

    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>
    /// The canonical text: UTF-8 JSON without spaces, keys in this order — <c>v</c> (1), <c>id</c>, <c>number</c>, <c>matter</c>,
    /// <c>form</c> (every field, keys sorted by code point), <c>materials</c> (uploaded ones, by name: <c>name</c>, <c>sha256</c> in
    /// lower-case hex), <c>signedAt</c> (UTC, <c>yyyy-MM-ddTHH:mm:ssZ</c>); strings escaped only where JSON must
    /// (<c>"</c>, <c>\</c>, control characters), Chinese as UTF-8. docs/signing-agent.md shows an example.
    /// </summary>
    public static byte[] Canonical(Case c, DateTimeOffset signedAt)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Writer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", 1);
            json.WriteNumber("id", c.Id);
            json.WriteString("number", c.Number);
            json.WriteString("matter", c.MatterCode);
            json.WriteStartObject("form");
            foreach (var (key, value) in c.FormData.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteStartArray("materials");
            foreach (var material in c.Materials.Where(m => m.FileSha256 is not null).OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("name", material.Name);
                json.WriteString("sha256", material.FileSha256!.ToLowerInvariant());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("signedAt", signedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Signs <paramref name="content"/> on the applicant's side: a detached CMS SignedData with the signer's certificate.</summary>
    public interface ISigner
    {
        Task<byte[]> SignAsync(byte[] content, CancellationToken cancellationToken = default);
    }

    /// <summary>The applicant's own key (a .p12, or a certificate from a USB key's store): what the API client and tests use.</summary>
    public sealed class CertificateSigner(X509Certificate2 certificateWithKey) : ISigner
    {
        public Task<byte[]> SignAsync(byte[] content, CancellationToken cancellationToken = default)
        {
            var cms = new SignedCms(new ContentInfo(content), detached: true);
            var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificateWithKey) { IncludeOption = X509IncludeOption.EndCertOnly };
            cms.ComputeSignature(signer);
            return Task.FromResult(cms.Encode());
        }
    }

    /// <summary>The verification's answer: <see cref="Verified"/> or "签名验证失败：…" naming what failed.</summary>
    public sealed record Verification(bool Valid, string Text, string? Signer, DateTimeOffset? SignedAt);

    public sealed class Handler(AppDbContext db, ClientCertificateCheck check, TimeProvider time)
    {
        /// <summary>Takes the filer's signature of case <paramref name="c"/> made at <paramref name="signedAt"/>; refusals in words to show.</summary>
        public async Task<(Verification Result, bool Stored)> AcceptAsync(Case c, CaseActor actor, DateTimeOffset signedAt, byte[] signature,
            CancellationToken cancellationToken = default)
        {
            var now = time.GetUtcNow();
            var userId = actor.UserId;
            if (c.OwnerUserId != userId)
            {
                return (Failed("只有提交申请的企业本身可以签名"), false);
            }

            if ((signedAt - now).Duration() > ClockSkew)
            {
                return (Failed($"签名时间 {Local(signedAt)} 与服务器时间相差超过 {ClockSkew.TotalMinutes:0} 分钟，请校准电脑时间后重新签名"), false);
            }

            var bound = await db.CertificateBindings.AsNoTracking().Where(b => b.UserId == userId).Select(b => b.Thumbprint).ToListAsync(cancellationToken);
            var result = Verify(c, signedAt, signature, bound);
            if (!result.Valid)
            {
                return (result, false);
            }

            var signer = SignerOf(signature)!;
            var thumbprint = CertificateSignIn.Thumbprint(signer);
            var subject = signer.Subject.Length > 1000 ? signer.Subject[..1000] : signer.Subject;
            for (var attempt = 1; ; attempt++)
            {
                // The signature and its record in the hash-chained journal 全程留痕 are saved together: who signed, with which
                // certificate, when, and the signature's own hash (the CMS itself stays in CaseSignatures).
                db.CaseSignatures.Add(new CaseSignature
                {
                    CaseId = c.Id, SignedAt = signedAt, Cms = signature, SignerThumbprint = thumbprint, SignerSubject = subject, ReceivedAt = now,
                });
                await CaseJournal.AppendEventAsync(db, c.Id, c.Number, now, actor, JournalAction, c.State.ToString(), result.Text,
                    new Dictionary<string, string>
                    {
                        // An enterprise's name in full, a person's masked, as everywhere in the journal.
                        ["signer"] = c.Applicant.IdType == ApplicantIdType.CreditCode ? result.Signer ?? "" : Core.Identity.Masking.PersonName(result.Signer),
                        ["certificate"] = thumbprint,
                        ["signedAt"] = signedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                        ["signatureSha256"] = Convert.ToHexStringLower(SHA256.HashData(signature)),
                    }, cancellationToken);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    return (result, true);
                }
                catch (DbUpdateException e) when (attempt < CaseJournal.Attempts && CaseJournal.LostRace(e))
                {
                    db.ChangeTracker.Clear(); // another writer moved the journal's head first: chain after it
                }
            }
        }

        /// <summary>The SHA-256 thumbprints of the certificates bound to <paramref name="userId"/>: the ones its signature may be made with.</summary>
        public async Task<IReadOnlyList<string>> BoundThumbprintsAsync(string userId, CancellationToken cancellationToken = default) =>
            await db.CertificateBindings.AsNoTracking().Where(b => b.UserId == userId).Select(b => b.Thumbprint).ToListAsync(cancellationToken);

        /// <summary>The case's latest signature verified against the case as stored now; null when the filer did not sign.</summary>
        public async Task<Verification?> VerifyStoredAsync(Case c, CancellationToken cancellationToken = default)
        {
            var stored = await db.CaseSignatures.AsNoTracking().Where(s => s.CaseId == c.Id).OrderByDescending(s => s.Id)
                .FirstOrDefaultAsync(cancellationToken);
            return stored is null ? null : Verify(c, stored.SignedAt, stored.Cms, [stored.SignerThumbprint]);
        }

        private Verification Verify(Case c, DateTimeOffset signedAt, byte[] signature, IReadOnlyCollection<string> allowedSigners)
        {
            var content = Canonical(c, signedAt);
            X509Certificate2? signer;
            if (NationalAlgorithms.VerifyCms(content, signature) is { } sm2)
            {
                // SM3withSM2 (国密): .NET's SignedCms cannot check it; BouncyCastle does (decision 0053).
                if (!sm2.Valid)
                {
                    return Failed(sm2.Signer is null ? "签名中没有签名人的数字证书" : Changed);
                }

                signer = sm2.Signer;
            }
            else
            {
                var cms = new SignedCms(new ContentInfo(content), detached: true);
                try
                {
                    cms.Decode(signature);
                    cms.CheckSignature(verifySignatureOnly: true); // the chain is judged below, against the configured CAs at signing time
                }
                catch (CryptographicException)
                {
                    return Failed(Changed);
                }

                signer = cms.SignerInfos.Count == 1 ? cms.SignerInfos[0].Certificate : null;
            }

            if (signer is null)
            {
                return Failed("签名中没有签名人的数字证书");
            }

            if (!allowedSigners.Contains(CertificateSignIn.Thumbprint(signer)))
            {
                return Failed("签名所用的数字证书没有绑定到提交申请的账号，请先用该证书登录并绑定");
            }

            var verdict = check.Check(signer, forSigning: true, at: signedAt);
            return verdict.IsValid
                ? new Verification(true, Verified, signer.GetNameInfo(X509NameType.SimpleName, false), signedAt)
                : Failed(verdict.Message!);
        }

        private const string Changed = "签名与申请内容不一致（申请表、材料或签名时间已被改动，或签名不是对本申请做的）";

        private static X509Certificate2? SignerOf(byte[] signature) => NationalAlgorithms.SignerOf(signature);

        private static Verification Failed(string why) => new(false, "签名验证失败：" + why, null, null);

        private static string Local(DateTimeOffset value) =>
            value.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
    }
}
