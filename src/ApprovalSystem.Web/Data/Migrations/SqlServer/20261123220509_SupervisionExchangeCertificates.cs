using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SupervisionExchangeCertificates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExternalCaseId",
                table: "Cases",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalSystem",
                table: "Cases",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastExternalAt",
                table: "Cases",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CaseDocuments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    FileName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Sha256 = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Content = table.Column<byte[]>(type: "varbinary(max)", nullable: false),
                    StoredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseDocuments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Certificates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Number = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Code = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    CaseNumber = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Type = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    HolderName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    HolderIdKind = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Department = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ValidUntil = table.Column<DateOnly>(type: "date", nullable: true),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    StatusReason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    StatusChangedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    StatusChangedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ReprintCount = table.Column<int>(type: "int", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Certificates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExchangeCaseLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SystemId = table.Column<int>(type: "int", nullable: false),
                    ExternalCaseId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    CaseId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExchangeCaseLinks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExchangeInbound",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SystemId = table.Column<int>(type: "int", nullable: false),
                    EventId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    ExternalCaseId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    MatterCode = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Step = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Payload = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    CaseId = table.Column<long>(type: "bigint", nullable: true),
                    AppliedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Replays = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExchangeInbound", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExchangeOutbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    EventId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    SubscriptionId = table.Column<int>(type: "int", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    CaseNumber = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    Payload = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    DeliveredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastError = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExchangeOutbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExchangeSubscriptions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SystemId = table.Column<int>(type: "int", nullable: false),
                    Url = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    Secret = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    EventKinds = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Active = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExchangeSubscriptions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExchangeSystems",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Code = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Department = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    KeyHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    KeyPrefix = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    AllowedMatters = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    KeyRotatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RevokedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExchangeSystems", x => x.Id);
                });

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
                name: "ShareAccessRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ResourceId = table.Column<int>(type: "int", nullable: false),
                    Consumer = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Purpose = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    RequestedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShareAccessRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ShareReadLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ResourceId = table.Column<int>(type: "int", nullable: false),
                    Consumer = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Reader = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Key = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Fields = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    Purpose = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShareReadLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ShareRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ResourceId = table.Column<int>(type: "int", nullable: false),
                    Key = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Data = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShareRecords", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ShareResources",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Code = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Provider = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Description = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    Fields = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShareResources", x => x.Id);
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

            migrationBuilder.CreateTable(
                name: "ShareFieldGrants",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    AccessRequestId = table.Column<int>(type: "int", nullable: false),
                    Field = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    DecidedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShareFieldGrants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ShareFieldGrants_ShareAccessRequests_AccessRequestId",
                        column: x => x.AccessRequestId,
                        principalTable: "ShareAccessRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CaseDocuments_CaseId_Kind_IssuedAt",
                table: "CaseDocuments",
                columns: new[] { "CaseId", "Kind", "IssuedAt" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Certificates_CaseId",
                table: "Certificates",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_Certificates_Code",
                table: "Certificates",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Certificates_Number",
                table: "Certificates",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ExchangeCaseLinks_CaseId",
                table: "ExchangeCaseLinks",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_ExchangeCaseLinks_SystemId_ExternalCaseId",
                table: "ExchangeCaseLinks",
                columns: new[] { "SystemId", "ExternalCaseId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ExchangeInbound_Status",
                table: "ExchangeInbound",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_ExchangeInbound_SystemId_EventId",
                table: "ExchangeInbound",
                columns: new[] { "SystemId", "EventId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ExchangeOutbox_EventId_SubscriptionId",
                table: "ExchangeOutbox",
                columns: new[] { "EventId", "SubscriptionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ExchangeOutbox_Status_NextAttemptAt",
                table: "ExchangeOutbox",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ExchangeSystems_Code",
                table: "ExchangeSystems",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ExchangeSystems_KeyHash",
                table: "ExchangeSystems",
                column: "KeyHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PerformanceDays_Day_Department",
                table: "PerformanceDays",
                columns: new[] { "Day", "Department" });

            migrationBuilder.CreateIndex(
                name: "IX_ShareAccessRequests_ResourceId_Consumer",
                table: "ShareAccessRequests",
                columns: new[] { "ResourceId", "Consumer" });

            migrationBuilder.CreateIndex(
                name: "IX_ShareFieldGrants_AccessRequestId",
                table: "ShareFieldGrants",
                column: "AccessRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_ShareReadLog_ResourceId_At",
                table: "ShareReadLog",
                columns: new[] { "ResourceId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_ShareRecords_ResourceId_Key",
                table: "ShareRecords",
                columns: new[] { "ResourceId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ShareResources_Code",
                table: "ShareResources",
                column: "Code",
                unique: true);

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
                name: "CaseDocuments");

            migrationBuilder.DropTable(
                name: "Certificates");

            migrationBuilder.DropTable(
                name: "ExchangeCaseLinks");

            migrationBuilder.DropTable(
                name: "ExchangeInbound");

            migrationBuilder.DropTable(
                name: "ExchangeOutbox");

            migrationBuilder.DropTable(
                name: "ExchangeSubscriptions");

            migrationBuilder.DropTable(
                name: "ExchangeSystems");

            migrationBuilder.DropTable(
                name: "PerformanceDays");

            migrationBuilder.DropTable(
                name: "ShareFieldGrants");

            migrationBuilder.DropTable(
                name: "ShareReadLog");

            migrationBuilder.DropTable(
                name: "ShareRecords");

            migrationBuilder.DropTable(
                name: "ShareResources");

            migrationBuilder.DropTable(
                name: "SupervisionAlerts");

            migrationBuilder.DropTable(
                name: "SupervisionCards");

            migrationBuilder.DropTable(
                name: "SupervisionOrders");

            migrationBuilder.DropTable(
                name: "SupervisionScanState");

            migrationBuilder.DropTable(
                name: "ShareAccessRequests");

            migrationBuilder.DropColumn(
                name: "ExternalCaseId",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ExternalSystem",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "LastExternalAt",
                table: "Cases");
        }
    }
}
