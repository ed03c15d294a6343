using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RectificationReopenedClock : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ReopenedDueAt",
                table: "Rectifications",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReopenedWarnAt",
                table: "Rectifications",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Rectifications_ReopenedDueAt",
                table: "Rectifications",
                column: "ReopenedDueAt");

            migrationBuilder.CreateIndex(
                name: "IX_Rectifications_ReopenedWarnAt",
                table: "Rectifications",
                column: "ReopenedWarnAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Rectifications_ReopenedDueAt",
                table: "Rectifications");

            migrationBuilder.DropIndex(
                name: "IX_Rectifications_ReopenedWarnAt",
                table: "Rectifications");

            migrationBuilder.DropColumn(
                name: "ReopenedDueAt",
                table: "Rectifications");

            migrationBuilder.DropColumn(
                name: "ReopenedWarnAt",
                table: "Rectifications");
        }
    }
}
