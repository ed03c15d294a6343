using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WindowQueueIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_State_SubmittedAt",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_State_SubmittedAt_Id",
                table: "Cases",
                columns: new[] { "State", "SubmittedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_State_SubmittedAt_Id",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_State_SubmittedAt",
                table: "Cases",
                columns: new[] { "State", "SubmittedAt" });
        }
    }
}
