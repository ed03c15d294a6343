using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AutoApproval : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AutoApprovalRuleVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MatterCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Rules = table.Column<string>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PublishedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    RetiredAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AutoApprovalRuleVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AutoApprovalRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MatterCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RuleVersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    RuleVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    Approved = table.Column<bool>(type: "INTEGER", nullable: false),
                    Conditions = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AutoApprovalRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AutoApprovalRuns_AutoApprovalRuleVersions_RuleVersionId",
                        column: x => x.RuleVersionId,
                        principalTable: "AutoApprovalRuleVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AutoApprovalRuns_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AutoApprovalRuleVersions_MatterCode_Version",
                table: "AutoApprovalRuleVersions",
                columns: new[] { "MatterCode", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AutoApprovalRuns_Approved_At",
                table: "AutoApprovalRuns",
                columns: new[] { "Approved", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AutoApprovalRuns_CaseId",
                table: "AutoApprovalRuns",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_AutoApprovalRuns_MatterCode_At",
                table: "AutoApprovalRuns",
                columns: new[] { "MatterCode", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AutoApprovalRuns_RuleVersionId",
                table: "AutoApprovalRuns",
                column: "RuleVersionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AutoApprovalRuns");

            migrationBuilder.DropTable(
                name: "AutoApprovalRuleVersions");
        }
    }
}
