using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Exchange : Migration
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
                name: "ShareFieldGrants");

            migrationBuilder.DropTable(
                name: "ShareReadLog");

            migrationBuilder.DropTable(
                name: "ShareRecords");

            migrationBuilder.DropTable(
                name: "ShareResources");

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
