using System.Text;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Data;

/// <summary>
/// One entry of the case search index 办件检索索引: the text of a case's number or applicant's name from one position on
/// (at most <see cref="SearchTerms.Length"/> characters), and the case. Part of a name or number is found by a range
/// of this table's key (every term starting with what was typed), never by reading the cases (decision 0019).
/// </summary>
public class CaseSearchTerm
{
    public string Term { get; set; } = "";

    public long CaseId { get; set; }
}

/// <summary>An entry of the certificate register's search index: a certificate's number, holder's name or case number from one position on.</summary>
public class CertificateSearchTerm
{
    public string Term { get; set; } = "";

    public long CertificateId { get; set; }

    /// <summary>Set for a certificate added in the same save: its key is known only once it is inserted.</summary>
    public CertificateRecord? Certificate { get; set; }
}

/// <summary>
/// The terms a case or a certificate is found by, and the ranges a search reads (decision 0019). A name is indexed from
/// every character on, so any part of it is found (王, 张三, 好味道); a number from its start and from the start of each of
/// its parts (<c>330799-20261123-0001</c>: 330799…, -20261123…, 20261123…, -0001, 0001), so a leading part or a tail is
/// found, not a piece from inside a part. Characters are counted as code points, as SQLite's and PostgreSQL's
/// <c>substr</c> count them, so the migration's and the benchmark's SQL write the same terms.
/// </summary>
public static class SearchTerms
{
    /// <summary>The longest term, in characters: a longer search reads the range of its first 16 and checks the rest.</summary>
    public const int Length = 16;

    /// <summary>The terms of a case: its number's parts and its applicant's name everywhere.</summary>
    public static HashSet<string> OfCase(string? number, string? applicant)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        Parts(number, terms);
        Everywhere(applicant, terms);
        return terms;
    }

    /// <summary>The terms of a certificate: its number and holder everywhere, its case number's parts.</summary>
    public static HashSet<string> OfCertificate(string? number, string? holder, string? caseNumber)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        Everywhere(number, terms);
        Everywhere(holder, terms);
        Parts(caseNumber, terms);
        return terms;
    }

    /// <summary>The text from every character on.</summary>
    public static void Everywhere(string? text, ISet<string> terms)
    {
        var runes = Runes(text);
        for (var i = 0; i < runes.Length; i++)
        {
            terms.Add(Join(runes, i));
        }
    }

    /// <summary>The text from its start and from each part's start: at and after every character that is not an ASCII letter or digit.</summary>
    public static void Parts(string? text, ISet<string> terms)
    {
        var runes = Runes(text);
        for (var i = 0; i < runes.Length; i++)
        {
            if (i == 0 || !IsWordChar(runes[i]) || !IsWordChar(runes[i - 1]))
            {
                terms.Add(Join(runes, i));
            }
        }
    }

    /// <summary>What a search for <paramref name="text"/> reads: terms from <c>From</c> (inclusive) to <c>To</c> (exclusive);
    /// <c>Whole</c> when the text is no longer than a term, so every term in the range is a match without a check.</summary>
    public static (string From, string To, bool Whole) Range(string text, string after)
    {
        var runes = Runes(text);
        var key = Join(runes, 0);
        return (key, key + after, runes.Length <= Length);
    }

    /// <summary>The ids of the cases whose number (by its parts) or applicant's name contains <paramref name="text"/>.</summary>
    public static IQueryable<long> CaseIds(AppDbContext db, string text)
    {
        var (from, to, whole) = Range(text, db.PrefixEnd);
        var ids = db.CaseSearchTerms.Where(t => string.Compare(t.Term, from) >= 0 && string.Compare(t.Term, to) < 0).Select(t => t.CaseId);
        return whole ? ids
            : db.Cases.Where(c => ids.Contains(c.Id) && ((c.Number != null && c.Number.Contains(text)) || c.Applicant.Name.Contains(text))).Select(c => c.Id);
    }

    /// <summary>The ids of the certificates whose number, holder or case number (by its parts) contains <paramref name="text"/>.</summary>
    public static IQueryable<long> CertificateIds(AppDbContext db, string text)
    {
        var (from, to, whole) = Range(text, db.PrefixEnd);
        var ids = db.CertificateSearchTerms.Where(t => string.Compare(t.Term, from) >= 0 && string.Compare(t.Term, to) < 0).Select(t => t.CertificateId);
        return whole ? ids
            : db.Certificates.Where(x => ids.Contains(x.Id) && (x.Number.Contains(text) || x.HolderName.Contains(text) || x.CaseNumber.Contains(text)))
                .Select(x => x.Id);
    }

    /// <summary>
    /// Brings a case's terms from <paramref name="before"/> (null for a new case) to <paramref name="after"/>, inside the
    /// act's transaction: the terms of both are deleted by key and the new ones added, so an entry missing or left over
    /// before never fails the act.
    /// </summary>
    public static async Task WriteCaseAsync(AppDbContext db, long caseId, IReadOnlySet<string>? before, IReadOnlySet<string> after, CancellationToken ct)
    {
        if (before is not null)
        {
            if (before.SetEquals(after))
            {
                return;
            }

            var touched = before.Union(after).ToList();
            await db.CaseSearchTerms.Where(t => t.CaseId == caseId && touched.Contains(t.Term)).ExecuteDeleteAsync(ct);
        }

        db.CaseSearchTerms.AddRange(after.Select(t => new CaseSearchTerm { Term = t, CaseId = caseId }));
    }

    /// <summary>The SQL that indexes the cases and certificates with an id above <paramref name="afterId"/>, up to
    /// <paramref name="throughId"/> (the migration's backfill, the benchmark's clones in batches that hold SQLite's write lock
    /// for seconds, not minutes): the same terms as <see cref="OfCase"/> and <see cref="OfCertificate"/>.</summary>
    public static string BackfillSql(string provider, long afterId, long throughId = long.MaxValue) => provider switch
    {
        "Sqlite" => $"""
            WITH RECURSIVE p(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM p WHERE i < 200)
            INSERT INTO "CaseSearchTerms" ("Term", "CaseId")
            SELECT substr(c."Applicant_Name", p.i, {Length}), c."Id"
                FROM "Cases" c JOIN p ON p.i <= length(c."Applicant_Name")
                WHERE c."Id" > {afterId} AND c."Id" <= {throughId}
            UNION
            SELECT substr(c."Number", p.i, {Length}), c."Id"
                FROM "Cases" c JOIN p ON p.i <= length(c."Number")
                WHERE c."Id" > {afterId} AND c."Id" <= {throughId}
                AND (p.i = 1 OR substr(c."Number", p.i, 1) NOT GLOB '[A-Za-z0-9]' OR substr(c."Number", p.i - 1, 1) NOT GLOB '[A-Za-z0-9]');
            WITH RECURSIVE p(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM p WHERE i < 200)
            INSERT INTO "CertificateSearchTerms" ("Term", "CertificateId")
            SELECT substr(x."Number", p.i, {Length}), x."Id"
                FROM "Certificates" x JOIN p ON p.i <= length(x."Number")
                WHERE x."Id" > {afterId} AND x."Id" <= {throughId}
            UNION
            SELECT substr(x."HolderName", p.i, {Length}), x."Id"
                FROM "Certificates" x JOIN p ON p.i <= length(x."HolderName")
                WHERE x."Id" > {afterId} AND x."Id" <= {throughId}
            UNION
            SELECT substr(x."CaseNumber", p.i, {Length}), x."Id"
                FROM "Certificates" x JOIN p ON p.i <= length(x."CaseNumber")
                WHERE x."Id" > {afterId} AND x."Id" <= {throughId}
                AND (p.i = 1 OR substr(x."CaseNumber", p.i, 1) NOT GLOB '[A-Za-z0-9]' OR substr(x."CaseNumber", p.i - 1, 1) NOT GLOB '[A-Za-z0-9]');
            """,
        "Postgres" => $"""
            INSERT INTO "CaseSearchTerms" ("Term", "CaseId")
            SELECT substr(c."Applicant_Name", p.i, {Length}), c."Id"
                FROM "Cases" c CROSS JOIN LATERAL generate_series(1, length(c."Applicant_Name")) p(i)
                WHERE c."Id" > {afterId} AND c."Id" <= {throughId}
            UNION
            SELECT substr(c."Number", p.i, {Length}), c."Id"
                FROM "Cases" c CROSS JOIN LATERAL generate_series(1, length(c."Number")) p(i)
                WHERE c."Id" > {afterId} AND c."Id" <= {throughId}
                AND (p.i = 1 OR substr(c."Number", p.i, 1) !~ '^[A-Za-z0-9]$' OR substr(c."Number", p.i - 1, 1) !~ '^[A-Za-z0-9]$');
            INSERT INTO "CertificateSearchTerms" ("Term", "CertificateId")
            SELECT substr(x."Number", p.i, {Length}), x."Id"
                FROM "Certificates" x CROSS JOIN LATERAL generate_series(1, length(x."Number")) p(i)
                WHERE x."Id" > {afterId} AND x."Id" <= {throughId}
            UNION
            SELECT substr(x."HolderName", p.i, {Length}), x."Id"
                FROM "Certificates" x CROSS JOIN LATERAL generate_series(1, length(x."HolderName")) p(i)
                WHERE x."Id" > {afterId} AND x."Id" <= {throughId}
            UNION
            SELECT substr(x."CaseNumber", p.i, {Length}), x."Id"
                FROM "Certificates" x CROSS JOIN LATERAL generate_series(1, length(x."CaseNumber")) p(i)
                WHERE x."Id" > {afterId} AND x."Id" <= {throughId}
                AND (p.i = 1 OR substr(x."CaseNumber", p.i, 1) !~ '^[A-Za-z0-9]$' OR substr(x."CaseNumber", p.i - 1, 1) !~ '^[A-Za-z0-9]$');
            """,

        // SQL Server counts UTF-16 code units: a name with a character beyond the BMP (𠈌) is indexed by halves there
        // until its case is next written by the app. DATALENGTH / 2, not LEN, which ignores trailing spaces. The terms are
        // compared in the index's binary collation: the columns' case-insensitive one would drop 'Ab' beside 'AB' in the UNION.
        "SqlServer" => $"""
            WITH p(i) AS (SELECT TOP (200) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) FROM sys.all_objects a CROSS JOIN sys.all_objects b)
            INSERT INTO [CaseSearchTerms] ([Term], [CaseId])
            SELECT SUBSTRING(c.[Applicant_Name], p.i, {Length}) COLLATE Latin1_General_100_BIN2, c.[Id]
                FROM [Cases] c JOIN p ON p.i <= DATALENGTH(c.[Applicant_Name]) / 2
                WHERE c.[Id] > {afterId} AND c.[Id] <= {throughId}
            UNION
            SELECT SUBSTRING(c.[Number], p.i, {Length}) COLLATE Latin1_General_100_BIN2, c.[Id]
                FROM [Cases] c JOIN p ON p.i <= DATALENGTH(c.[Number]) / 2
                WHERE c.[Id] > {afterId} AND c.[Id] <= {throughId}
                AND (p.i = 1 OR SUBSTRING(c.[Number], p.i, 1) NOT LIKE '[A-Za-z0-9]' OR SUBSTRING(c.[Number], p.i - 1, 1) NOT LIKE '[A-Za-z0-9]');
            WITH p(i) AS (SELECT TOP (200) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) FROM sys.all_objects a CROSS JOIN sys.all_objects b)
            INSERT INTO [CertificateSearchTerms] ([Term], [CertificateId])
            SELECT SUBSTRING(x.[Number], p.i, {Length}) COLLATE Latin1_General_100_BIN2, x.[Id]
                FROM [Certificates] x JOIN p ON p.i <= DATALENGTH(x.[Number]) / 2
                WHERE x.[Id] > {afterId} AND x.[Id] <= {throughId}
            UNION
            SELECT SUBSTRING(x.[HolderName], p.i, {Length}) COLLATE Latin1_General_100_BIN2, x.[Id]
                FROM [Certificates] x JOIN p ON p.i <= DATALENGTH(x.[HolderName]) / 2
                WHERE x.[Id] > {afterId} AND x.[Id] <= {throughId}
            UNION
            SELECT SUBSTRING(x.[CaseNumber], p.i, {Length}) COLLATE Latin1_General_100_BIN2, x.[Id]
                FROM [Certificates] x JOIN p ON p.i <= DATALENGTH(x.[CaseNumber]) / 2
                WHERE x.[Id] > {afterId} AND x.[Id] <= {throughId}
                AND (p.i = 1 OR SUBSTRING(x.[CaseNumber], p.i, 1) NOT LIKE '[A-Za-z0-9]' OR SUBSTRING(x.[CaseNumber], p.i - 1, 1) NOT LIKE '[A-Za-z0-9]');
            """,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Sqlite, Postgres or SqlServer"),
    };

    private static bool IsWordChar(Rune r) => r.IsAscii && char.IsAsciiLetterOrDigit((char)r.Value);

    private static Rune[] Runes(string? text) => string.IsNullOrEmpty(text) ? [] : text.EnumerateRunes().ToArray();

    private static string Join(Rune[] runes, int start)
    {
        var builder = new StringBuilder();
        for (var i = start; i < runes.Length && i < start + Length; i++)
        {
            builder.Append(runes[i].ToString());
        }

        return builder.ToString();
    }
}
