using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Postgres
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
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Shipped");

            migrationBuilder.AddColumn<string>(
                name: "PublishedBy",
                table: "WorkflowVersions",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "系统");

            migrationBuilder.AddColumn<string>(
                name: "Reason",
                table: "WorkflowVersions",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "WorkflowDrafts",
                columns: table => new
                {
                    WorkflowId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false),
                    BasedOnVersion = table.Column<int>(type: "integer", nullable: true),
                    Origin = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkflowDrafts", x => x.WorkflowId);
                });

            migrationBuilder.CreateTable(
                name: "WorkflowShipments",
                columns: table => new
                {
                    WorkflowId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ContentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false),
                    ArrivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatePending = table.Column<bool>(type: "boolean", nullable: false)
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
