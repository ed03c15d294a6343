using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Channel",
                table: "Ratings",
                type: "TEXT",
                maxLength: 8,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "Excluded",
                table: "Ratings",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Indicators",
                table: "Ratings",
                type: "TEXT",
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MatterCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Point = table.Column<int>(type: "INTEGER", nullable: false),
                    RatingLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    RatingComment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    RaterUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LimitDays = table.Column<int>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    WarnAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CalledBackAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CalledWhom = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CallNotes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CalledBackBy = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Resolution = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ResolutionText = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ResolvedBy = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Contested = table.Column<bool>(type: "INTEGER", nullable: false),
                    ContestReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ContestedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Appeal = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AppealGround = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    AppealReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AppealedBy = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    AppealedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AppealDecision = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    AppealDecidedBy = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    AppealDecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
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
