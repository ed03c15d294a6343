using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DashboardIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Cases_ConcludedAt",
                table: "Cases",
                column: "ConcludedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_State_LeadDepartment",
                table: "Cases",
                columns: new[] { "State", "LeadDepartment" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_SubmittedAt",
                table: "Cases",
                column: "SubmittedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_ConcludedAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_State_LeadDepartment",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_SubmittedAt",
                table: "Cases");
        }
    }
}
