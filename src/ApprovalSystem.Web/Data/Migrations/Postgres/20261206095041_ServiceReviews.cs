using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ServiceReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_Ratings",
                table: "Ratings");

            migrationBuilder.AddColumn<int>(
                name: "Point",
                table: "Ratings",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "Ratings",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "Excluded",
                table: "Ratings",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Indicators",
                table: "Ratings",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Ratings",
                table: "Ratings",
                columns: new[] { "CaseId", "Point" });

            migrationBuilder.CreateTable(
                name: "Rectifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MatterCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Department = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Point = table.Column<int>(type: "integer", nullable: false),
                    RatingLevel = table.Column<int>(type: "integer", nullable: false),
                    RatingComment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    RaterUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LimitDays = table.Column<int>(type: "integer", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    WarnAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CalledBackAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CalledWhom = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CallNotes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CalledBackBy = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Resolution = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ResolutionText = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ResolvedBy = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Contested = table.Column<bool>(type: "boolean", nullable: false),
                    ContestReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ContestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Appeal = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AppealGround = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    AppealReason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    AppealedBy = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    AppealedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AppealDecision = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    AppealDecidedBy = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    AppealDecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Rectifications", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Ratings_RatedAt",
                table: "Ratings",
                column: "RatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Rectifications_CaseId_Point",
                table: "Rectifications",
                columns: new[] { "CaseId", "Point" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Rectifications_Department_OpenedAt",
                table: "Rectifications",
                columns: new[] { "Department", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Rectifications_ResolvedAt_DueAt",
                table: "Rectifications",
                columns: new[] { "ResolvedAt", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Rectifications_ResolvedAt_WarnAt",
                table: "Rectifications",
                columns: new[] { "ResolvedAt", "WarnAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Rectifications");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Ratings",
                table: "Ratings");

            migrationBuilder.DropIndex(
                name: "IX_Ratings_RatedAt",
                table: "Ratings");

            migrationBuilder.DropColumn(
                name: "Point",
                table: "Ratings");

            migrationBuilder.DropColumn(
                name: "Channel",
                table: "Ratings");

            migrationBuilder.DropColumn(
                name: "Excluded",
                table: "Ratings");

            migrationBuilder.DropColumn(
                name: "Indicators",
                table: "Ratings");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Ratings",
                table: "Ratings",
                column: "CaseId");
        }
    }
}
