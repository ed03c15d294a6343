using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PartialIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CaseSteps_AssigneeId",
                table: "CaseSteps");

            migrationBuilder.DropIndex(
                name: "IX_Cases_OwnerUserId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_StationCode",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_CaseSteps_AssigneeId",
                table: "CaseSteps",
                column: "AssigneeId",
                filter: "[AssigneeId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_OwnerUserId",
                table: "Cases",
                column: "OwnerUserId",
                filter: "[OwnerUserId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_StationCode",
                table: "Cases",
                column: "StationCode",
                filter: "[StationCode] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CaseSteps_AssigneeId",
                table: "CaseSteps");

            migrationBuilder.DropIndex(
                name: "IX_Cases_OwnerUserId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_StationCode",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_CaseSteps_AssigneeId",
                table: "CaseSteps",
                column: "AssigneeId");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_OwnerUserId",
                table: "Cases",
                column: "OwnerUserId");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_StationCode",
                table: "Cases",
                column: "StationCode");
        }
    }
}
