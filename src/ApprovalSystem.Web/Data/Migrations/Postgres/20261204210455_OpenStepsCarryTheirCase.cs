using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OpenStepsCarryTheirCase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CaseSteps_Open_Department_OpenedAt",
                table: "CaseSteps");

            migrationBuilder.CreateIndex(
                name: "IX_CaseSteps_Open_Department_OpenedAt",
                table: "CaseSteps",
                columns: new[] { "Department", "OpenedAt", "CaseId", "WorkItemId" },
                filter: "\"ClosedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CaseSteps_Open_Department_OpenedAt",
                table: "CaseSteps");

            migrationBuilder.CreateIndex(
                name: "IX_CaseSteps_Open_Department_OpenedAt",
                table: "CaseSteps",
                columns: new[] { "Department", "OpenedAt" },
                filter: "\"ClosedAt\" IS NULL");
        }
    }
}
