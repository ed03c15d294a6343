using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CaseSearchTerms",
                columns: table => new
                {
                    Term = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false, collation: "Latin1_General_100_BIN2"),
                    CaseId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseSearchTerms", x => new { x.Term, x.CaseId });
                });

            migrationBuilder.CreateTable(
                name: "CertificateSearchTerms",
                columns: table => new
                {
                    Term = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false, collation: "Latin1_General_100_BIN2"),
                    CertificateId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CertificateSearchTerms", x => new { x.Term, x.CertificateId });
                    table.ForeignKey(
                        name: "FK_CertificateSearchTerms_Certificates_CertificateId",
                        column: x => x.CertificateId,
                        principalTable: "Certificates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CaseSearchTerms_CaseId_Term",
                table: "CaseSearchTerms",
                columns: new[] { "CaseId", "Term" });

            migrationBuilder.CreateIndex(
                name: "IX_CertificateSearchTerms_CertificateId",
                table: "CertificateSearchTerms",
                column: "CertificateId");

            // The cases and certificates filed before the index: a county upgrading finds its old cases.
            migrationBuilder.Sql(SearchTerms.BackfillSql("SqlServer", 0));
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
