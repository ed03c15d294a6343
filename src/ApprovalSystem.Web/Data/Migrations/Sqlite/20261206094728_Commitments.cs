using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Commitment",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VerificationResult",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Verification_DueAt",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Verification_LimitDays",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "Verification_RunningSince",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Verification_UsedDays",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "Verification_WarnAt",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Verification_Warning_DaysLeft",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Verification_Warning_PercentUsed",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "FalseCommitments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ApplicantIdType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ApplicantIdNumber = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    ApplicantName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Findings = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RepairedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RepairedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    RepairReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
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
