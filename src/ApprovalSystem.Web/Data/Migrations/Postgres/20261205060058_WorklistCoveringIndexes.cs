using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Postgres
{
    /// <summary>
    /// PostgreSQL only: a worklist's counts and search read a department's open steps from the heap, one page per step
    /// (126-271 ms of CPU at 30,001 open steps). These two indexes make them index-only scans: the open steps by department
    /// carrying what the counts and the separation rules look at, and the cases' workflow for a head's reserved steps.
    /// The model cannot name them (the deadline is a complex property), so they are created here; SQLite reads the steps
    /// through its own covering index and needs neither.
    /// </summary>
    public partial class WorklistCoveringIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX "IX_CaseSteps_Open_Department_Covering" ON "CaseSteps" ("Department")
                INCLUDE ("CaseId", "WorkItemId", "StepId", "Role", "AssigneeId", "Deadline_DueAt", "Deadline_WarnAt")
                WHERE "ClosedAt" IS NULL;
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_Cases_Id_Workflow" ON "Cases" ("Id") INCLUDE ("WorkflowId", "WorkflowVersion");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_Cases_Id_Workflow";""");
            migrationBuilder.Sql("""DROP INDEX "IX_CaseSteps_Open_Department_Covering";""");
        }
    }
}
