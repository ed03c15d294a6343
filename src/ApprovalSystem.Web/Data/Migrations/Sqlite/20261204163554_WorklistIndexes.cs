using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WorklistIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_CaseSteps_ActorId_CaseId",
                table: "CaseSteps",
                columns: new[] { "ActorId", "CaseId" },
                filter: "\"ActorId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CaseSteps_Open_Department_OpenedAt",
                table: "CaseSteps",
                columns: new[] { "Department", "OpenedAt" },
                filter: "\"ClosedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CaseSteps_ActorId_CaseId",
                table: "CaseSteps");

            migrationBuilder.DropIndex(
                name: "IX_CaseSteps_Open_Department_OpenedAt",
                table: "CaseSteps");
        }
    }
}
