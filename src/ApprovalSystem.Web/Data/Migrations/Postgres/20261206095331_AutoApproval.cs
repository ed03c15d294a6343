using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Postgres
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MatterCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Rules = table.Column<string>(type: "text", nullable: false),
                    Note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PublishedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    RetiredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AutoApprovalRuleVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AutoApprovalRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MatterCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Department = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RuleVersionId = table.Column<int>(type: "integer", nullable: false),
                    RuleVersion = table.Column<int>(type: "integer", nullable: false),
                    Approved = table.Column<bool>(type: "boolean", nullable: false),
                    Conditions = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
