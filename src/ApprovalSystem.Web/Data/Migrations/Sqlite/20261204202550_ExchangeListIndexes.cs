using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ExchangeListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ShareReadLog_ResourceId_At",
                table: "ShareReadLog");

            migrationBuilder.DropIndex(
                name: "IX_ExchangeInbound_Status",
                table: "ExchangeInbound");

            migrationBuilder.CreateIndex(
                name: "IX_ShareReadLog_Consumer_Id",
                table: "ShareReadLog",
                columns: new[] { "Consumer", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ShareReadLog_Key_Id",
                table: "ShareReadLog",
                columns: new[] { "Key", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ShareReadLog_ResourceId_Id",
                table: "ShareReadLog",
                columns: new[] { "ResourceId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ExchangeOutbox_CaseNumber_Id",
                table: "ExchangeOutbox",
                columns: new[] { "CaseNumber", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ExchangeOutbox_Status_Id",
                table: "ExchangeOutbox",
                columns: new[] { "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ExchangeInbound_Status_Id",
                table: "ExchangeInbound",
                columns: new[] { "Status", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ShareReadLog_Consumer_Id",
                table: "ShareReadLog");

            migrationBuilder.DropIndex(
                name: "IX_ShareReadLog_Key_Id",
                table: "ShareReadLog");

            migrationBuilder.DropIndex(
                name: "IX_ShareReadLog_ResourceId_Id",
                table: "ShareReadLog");

            migrationBuilder.DropIndex(
                name: "IX_ExchangeOutbox_CaseNumber_Id",
                table: "ExchangeOutbox");

            migrationBuilder.DropIndex(
                name: "IX_ExchangeOutbox_Status_Id",
                table: "ExchangeOutbox");

            migrationBuilder.DropIndex(
                name: "IX_ExchangeInbound_Status_Id",
                table: "ExchangeInbound");

            migrationBuilder.CreateIndex(
                name: "IX_ShareReadLog_ResourceId_At",
                table: "ShareReadLog",
                columns: new[] { "ResourceId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_ExchangeInbound_Status",
                table: "ExchangeInbound",
                column: "Status");
        }
    }
}
