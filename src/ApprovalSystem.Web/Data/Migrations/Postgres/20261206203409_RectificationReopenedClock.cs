using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RectificationReopenedClock : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReopenedDueAt",
                table: "Rectifications",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReopenedWarnAt",
                table: "Rectifications",
                type: "timestamp with time zone",
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
