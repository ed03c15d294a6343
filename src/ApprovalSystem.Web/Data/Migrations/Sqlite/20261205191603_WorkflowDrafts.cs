using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WorkflowDrafts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The versions stored before drafts existed were registered from the shipped files at start.
            migrationBuilder.AddColumn<string>(
                name: "Origin",
                table: "WorkflowVersions",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Shipped");

            migrationBuilder.AddColumn<string>(
                name: "PublishedBy",
                table: "WorkflowVersions",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "系统");

            migrationBuilder.AddColumn<string>(
                name: "Reason",
                table: "WorkflowVersions",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "WorkflowDrafts",
                columns: table => new
                {
                    WorkflowId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    BasedOnVersion = table.Column<int>(type: "INTEGER", nullable: true),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkflowDrafts", x => x.WorkflowId);
                });

            migrationBuilder.CreateTable(
                name: "WorkflowShipments",
                columns: table => new
                {
                    WorkflowId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    ArrivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatePending = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkflowShipments", x => x.WorkflowId);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WorkflowDrafts");

            migrationBuilder.DropTable(
                name: "WorkflowShipments");

            migrationBuilder.DropColumn(
                name: "Origin",
                table: "WorkflowVersions");

            migrationBuilder.DropColumn(
                name: "PublishedBy",
                table: "WorkflowVersions");

            migrationBuilder.DropColumn(
                name: "Reason",
                table: "WorkflowVersions");
        }
    }
}
