using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Cases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CaseJournal",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ActorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Department = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    FromState = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    ToState = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Opinion = table.Column<string>(type: "text", nullable: true),
                    Data = table.Column<string>(type: "text", nullable: false),
                    PreviousHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseJournal", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "CaseNumberCounters",
                columns: table => new
                {
                    Prefix = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Last = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseNumberCounters", x => x.Prefix);
                });

            migrationBuilder.CreateTable(
                name: "Cases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    QueryCode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    MatterId = table.Column<int>(type: "integer", nullable: false),
                    MatterCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    LeadDepartment = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    LegalLimitDays = table.Column<int>(type: "integer", nullable: false),
                    PromisedLimitDays = table.Column<int>(type: "integer", nullable: false),
                    LegalFee = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    CertificateType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    State = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    OwnerUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    AgentUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    AgentName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    StationCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    FormData = table.Column<string>(type: "text", nullable: false),
                    Materials = table.Column<string>(type: "text", nullable: false),
                    WorkflowId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    WorkflowVersion = table.Column<int>(type: "integer", nullable: true),
                    WorkflowState = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AcceptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AcceptedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecisionOpinion = table.Column<string>(type: "text", nullable: true),
                    ConcludedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RefusalReason = table.Column<string>(type: "text", nullable: true),
                    SupplementItems = table.Column<string>(type: "text", nullable: false),
                    SupplementRequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SpecialProcedures = table.Column<string>(type: "text", nullable: false),
                    Extensions = table.Column<string>(type: "text", nullable: false),
                    FeeCharged = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: true),
                    CertificateNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CertificateIssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DeliveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DeliveryMethod = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Archive = table.Column<string>(type: "text", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Applicant_Address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Applicant_IdNumber = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    Applicant_IdType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Applicant_LegalRepresentative = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Applicant_Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Applicant_Phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Legal_DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Legal_LimitDays = table.Column<int>(type: "integer", nullable: false),
                    Legal_RunningSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Legal_UsedDays = table.Column<int>(type: "integer", nullable: false),
                    Legal_WarnAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Legal_Warning_DaysLeft = table.Column<int>(type: "integer", nullable: true),
                    Legal_Warning_PercentUsed = table.Column<int>(type: "integer", nullable: true),
                    Promised_DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Promised_LimitDays = table.Column<int>(type: "integer", nullable: false),
                    Promised_RunningSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Promised_UsedDays = table.Column<int>(type: "integer", nullable: false),
                    Promised_WarnAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Promised_Warning_DaysLeft = table.Column<int>(type: "integer", nullable: true),
                    Promised_Warning_PercentUsed = table.Column<int>(type: "integer", nullable: true),
                    Review_DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Review_LimitDays = table.Column<int>(type: "integer", nullable: false),
                    Review_RunningSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Review_UsedDays = table.Column<int>(type: "integer", nullable: false),
                    Review_WarnAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Review_Warning_DaysLeft = table.Column<int>(type: "integer", nullable: true),
                    Review_Warning_PercentUsed = table.Column<int>(type: "integer", nullable: true),
                    Warning_DaysLeft = table.Column<int>(type: "integer", nullable: true),
                    Warning_PercentUsed = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Cases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IdempotencyRecords",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyRecords", x => new { x.UserId, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "JournalHeads",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    LastSequence = table.Column<long>(type: "bigint", nullable: false),
                    LastHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JournalHeads", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "StoredFiles",
                columns: table => new
                {
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    StoredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StoredFiles", x => x.Sha256);
                });

            migrationBuilder.CreateTable(
                name: "WorkflowVersions",
                columns: table => new
                {
                    WorkflowId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ContentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false),
                    RegisteredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkflowVersions", x => new { x.WorkflowId, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "CaseSteps",
                columns: table => new
                {
                    WorkItemId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    StepId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    BranchId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Title = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Department = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    EntryCount = table.Column<int>(type: "integer", nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AssigneeId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    AssigneeName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Opinion = table.Column<string>(type: "text", nullable: true),
                    ActorId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    ActorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    UsedDays = table.Column<int>(type: "integer", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Deadline_DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Deadline_LimitDays = table.Column<int>(type: "integer", nullable: false),
                    Deadline_RunningSince = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Deadline_UsedDays = table.Column<int>(type: "integer", nullable: false),
                    Deadline_WarnAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Deadline_Warning_DaysLeft = table.Column<int>(type: "integer", nullable: true),
                    Deadline_Warning_PercentUsed = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseSteps", x => new { x.CaseId, x.WorkItemId });
                    table.ForeignKey(
                        name: "FK_CaseSteps_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CaseJournal_CaseId_Sequence",
                table: "CaseJournal",
                columns: new[] { "CaseId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_LeadDepartment",
                table: "Cases",
                column: "LeadDepartment");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Number",
                table: "Cases",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_OwnerUserId",
                table: "Cases",
                column: "OwnerUserId");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_State_SubmittedAt",
                table: "Cases",
                columns: new[] { "State", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_StationCode",
                table: "Cases",
                column: "StationCode");

            migrationBuilder.CreateIndex(
                name: "IX_CaseSteps_AssigneeId",
                table: "CaseSteps",
                column: "AssigneeId");

            migrationBuilder.CreateIndex(
                name: "IX_CaseSteps_Department_ClosedAt",
                table: "CaseSteps",
                columns: new[] { "Department", "ClosedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CaseJournal");

            migrationBuilder.DropTable(
                name: "CaseNumberCounters");

            migrationBuilder.DropTable(
                name: "CaseSteps");

            migrationBuilder.DropTable(
                name: "IdempotencyRecords");

            migrationBuilder.DropTable(
                name: "JournalHeads");

            migrationBuilder.DropTable(
                name: "StoredFiles");

            migrationBuilder.DropTable(
                name: "WorkflowVersions");

            migrationBuilder.DropTable(
                name: "Cases");
        }
    }
}
