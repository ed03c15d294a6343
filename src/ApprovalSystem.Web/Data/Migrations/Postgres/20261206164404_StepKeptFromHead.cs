using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// Steps say whether a head's step of their flow reserves them for officers (decided when they open), so a head's worklist
    /// counts without probing each open step's case (127 ms of CPU at 30,001 open steps). The open steps' covering index
    /// carries the flag, so the counts stay index-only.
    /// </summary>
    public partial class StepKeptFromHead : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "KeptFromHead",
                table: "CaseSteps",
                type: "boolean",
                nullable: true);
            migrationBuilder.Sql("""DROP INDEX "IX_CaseSteps_Open_Department_Covering";""");
            migrationBuilder.Sql("""
                CREATE INDEX "IX_CaseSteps_Open_Department_Covering" ON "CaseSteps" ("Department")
                INCLUDE ("CaseId", "WorkItemId", "StepId", "Role", "AssigneeId", "Deadline_DueAt", "Deadline_WarnAt", "KeptFromHead")
                WHERE "ClosedAt" IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_CaseSteps_Open_Department_Covering";""");
            migrationBuilder.Sql("""
                CREATE INDEX "IX_CaseSteps_Open_Department_Covering" ON "CaseSteps" ("Department")
                INCLUDE ("CaseId", "WorkItemId", "StepId", "Role", "AssigneeId", "Deadline_DueAt", "Deadline_WarnAt")
                WHERE "ClosedAt" IS NULL;
                """);
            migrationBuilder.DropColumn(
                name: "KeptFromHead",
                table: "CaseSteps");
        }
    }
}
