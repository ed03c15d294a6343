using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // WITHOUT ROWID: the key is the table (EF Core cannot say so), not a copy of it beside a rowid table.
            migrationBuilder.Sql("""
                CREATE TABLE "CaseSearchTerms" (
                    "Term" TEXT NOT NULL,
                    "CaseId" INTEGER NOT NULL,
                    CONSTRAINT "PK_CaseSearchTerms" PRIMARY KEY ("Term", "CaseId")
                ) WITHOUT ROWID;
                CREATE TABLE "CertificateSearchTerms" (
                    "Term" TEXT NOT NULL,
                    "CertificateId" INTEGER NOT NULL,
                    CONSTRAINT "PK_CertificateSearchTerms" PRIMARY KEY ("Term", "CertificateId"),
                    CONSTRAINT "FK_CertificateSearchTerms_Certificates_CertificateId" FOREIGN KEY ("CertificateId") REFERENCES "Certificates" ("Id") ON DELETE CASCADE
                ) WITHOUT ROWID;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_CaseSearchTerms_CaseId_Term",
                table: "CaseSearchTerms",
                columns: new[] { "CaseId", "Term" });

            migrationBuilder.CreateIndex(
                name: "IX_CertificateSearchTerms_CertificateId",
                table: "CertificateSearchTerms",
                column: "CertificateId");

            // The cases and certificates filed before the index: a county upgrading finds its old cases.
            migrationBuilder.Sql(SearchTerms.BackfillSql("Sqlite", 0));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CaseSearchTerms");

            migrationBuilder.DropTable(
                name: "CertificateSearchTerms");
        }
    }
}
