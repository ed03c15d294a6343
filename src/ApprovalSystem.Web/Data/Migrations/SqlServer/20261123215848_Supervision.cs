using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Supervision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PerformanceDays",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Department = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    MatterCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Officer = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    Received = table.Column<int>(type: "int", nullable: false),
                    Accepted = table.Column<int>(type: "int", nullable: false),
                    Concluded = table.Column<int>(type: "int", nullable: false),
                    OnTime = table.Column<int>(type: "int", nullable: false),
                    Early = table.Column<int>(type: "int", nullable: false),
                    Overdue = table.Column<int>(type: "int", nullable: false),
                    UsedDays = table.Column<long>(type: "bigint", nullable: false),
                    LegalDays = table.Column<long>(type: "bigint", nullable: false),
                    PromisedDays = table.Column<long>(type: "bigint", nullable: false),
                    YellowCards = table.Column<int>(type: "int", nullable: false),
                    RedCards = table.Column<int>(type: "int", nullable: false),
                    RepeatedWarnings = table.Column<int>(type: "int", nullable: false),
                    Orders = table.Column<int>(type: "int", nullable: false),
                    OrdersResponded = table.Column<int>(type: "int", nullable: false),
                    ResponseDays = table.Column<long>(type: "bigint", nullable: false),
                    Ratings = table.Column<int>(type: "int", nullable: false),
                    GoodRatings = table.Column<int>(type: "int", nullable: false),
                    Complaints = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PerformanceDays", x => new { x.Day, x.Department, x.MatterCode, x.Officer });
                });

            migrationBuilder.CreateTable(
                name: "SupervisionAlerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Key = table.Column<string>(type: "nvarchar(160)", maxLength: 160, nullable: false),
                    Rule = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CaseId = table.Column<long>(type: "bigint", nullable: true),
                    CaseNumber = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    Department = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Message = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    Evidence = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    RaisedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ResolvedBy = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: true),
                    Resolution = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupervisionAlerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SupervisionCards",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SubjectKey = table.Column<string>(type: "nvarchar(120)", maxLength: 120, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: false),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    CaseNumber = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    WorkItemId = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: true),
                    StepTitle = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Department = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    OfficerId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    OfficerName = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: true),
                    Moment = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    RaisedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupervisionCards", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SupervisionOrders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Number = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    CaseNumber = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    CaseId = table.Column<long>(type: "bigint", nullable: true),
                    Department = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Instructions = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    IssuedBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    IssuedByName = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    RespondBy = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    State = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    EscalatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Response = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    Attachments = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    RespondedBy = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: true),
                    RespondedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ClosedBy = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ClosingNote = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupervisionOrders", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SupervisionScanState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    ScannedUntil = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    JournalSequence = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupervisionScanState", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PerformanceDays_Day_Department",
                table: "PerformanceDays",
                columns: new[] { "Day", "Department" });

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionAlerts_CaseId",
                table: "SupervisionAlerts",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionAlerts_Key",
                table: "SupervisionAlerts",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionAlerts_RaisedAt",
                table: "SupervisionAlerts",
                column: "RaisedAt");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionCards_CaseId",
                table: "SupervisionCards",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionCards_ClosedAt_Department",
                table: "SupervisionCards",
                columns: new[] { "ClosedAt", "Department" });

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionCards_RaisedAt",
                table: "SupervisionCards",
                column: "RaisedAt");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionCards_SubjectKey_Kind",
                table: "SupervisionCards",
                columns: new[] { "SubjectKey", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionOrders_CaseId",
                table: "SupervisionOrders",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionOrders_Department",
                table: "SupervisionOrders",
                column: "Department");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionOrders_Number",
                table: "SupervisionOrders",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionOrders_State_RespondBy",
                table: "SupervisionOrders",
                columns: new[] { "State", "RespondBy" });

            // The supervision scan reads only the items whose warning or due moment it crosses:
            // range queries on these columns (EF 10 cannot declare indexes on complex-type columns).
            migrationBuilder.CreateIndex(name: "IX_Cases_Promised_WarnAt", table: "Cases", column: "Promised_WarnAt");
            migrationBuilder.CreateIndex(name: "IX_Cases_Promised_DueAt", table: "Cases", column: "Promised_DueAt");
            migrationBuilder.CreateIndex(name: "IX_CaseSteps_Deadline_WarnAt", table: "CaseSteps", column: "Deadline_WarnAt");
            migrationBuilder.CreateIndex(name: "IX_CaseSteps_Deadline_DueAt", table: "CaseSteps", column: "Deadline_DueAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_Cases_Promised_WarnAt", table: "Cases");
            migrationBuilder.DropIndex(name: "IX_Cases_Promised_DueAt", table: "Cases");
            migrationBuilder.DropIndex(name: "IX_CaseSteps_Deadline_WarnAt", table: "CaseSteps");
            migrationBuilder.DropIndex(name: "IX_CaseSteps_Deadline_DueAt", table: "CaseSteps");

            migrationBuilder.DropTable(
                name: "PerformanceDays");

            migrationBuilder.DropTable(
                name: "SupervisionAlerts");

            migrationBuilder.DropTable(
                name: "SupervisionCards");

            migrationBuilder.DropTable(
                name: "SupervisionOrders");

            migrationBuilder.DropTable(
                name: "SupervisionScanState");
        }
    }
}
