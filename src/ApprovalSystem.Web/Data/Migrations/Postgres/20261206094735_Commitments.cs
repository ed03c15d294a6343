using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Commitments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Commitment",
                table: "Matters",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Commitment",
                table: "Cases",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VerificationResult",
                table: "Cases",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "Verification_DueAt",
                table: "Cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Verification_LimitDays",
                table: "Cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "Verification_RunningSince",
                table: "Cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Verification_UsedDays",
                table: "Cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "Verification_WarnAt",
                table: "Cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Verification_Warning_DaysLeft",
                table: "Cases",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Verification_Warning_PercentUsed",
                table: "Cases",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "FalseCommitments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ApplicantIdType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ApplicantIdNumber = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    ApplicantName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Department = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Findings = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecordedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RepairedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RepairedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    RepairReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FalseCommitments", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FalseCommitments_ApplicantIdType_ApplicantIdNumber",
                table: "FalseCommitments",
                columns: new[] { "ApplicantIdType", "ApplicantIdNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_FalseCommitments_CaseId",
                table: "FalseCommitments",
                column: "CaseId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FalseCommitments");

            migrationBuilder.DropColumn(
                name: "Commitment",
                table: "Matters");

            migrationBuilder.DropColumn(
                name: "Commitment",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "VerificationResult",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Verification_DueAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Verification_LimitDays",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Verification_RunningSince",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Verification_UsedDays",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Verification_WarnAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Verification_Warning_DaysLeft",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "Verification_Warning_PercentUsed",
                table: "Cases");
        }
    }
}
