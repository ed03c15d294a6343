using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Sqlite
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
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FromState = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    ToState = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Opinion = table.Column<string>(type: "TEXT", nullable: true),
                    Data = table.Column<string>(type: "TEXT", nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseJournal", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "CaseNumberCounters",
                columns: table => new
                {
                    Prefix = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Last = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseNumberCounters", x => x.Prefix);
                });

            migrationBuilder.CreateTable(
                name: "Cases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    QueryCode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    MatterId = table.Column<int>(type: "INTEGER", nullable: false),
                    MatterCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MatterName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    LeadDepartment = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    LegalLimitDays = table.Column<int>(type: "INTEGER", nullable: false),
                    PromisedLimitDays = table.Column<int>(type: "INTEGER", nullable: false),
                    LegalFee = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    CertificateType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    OwnerUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    AgentUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    AgentName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    StationCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    FormData = table.Column<string>(type: "TEXT", nullable: false),
                    Materials = table.Column<string>(type: "TEXT", nullable: false),
                    WorkflowId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    WorkflowVersion = table.Column<int>(type: "INTEGER", nullable: true),
                    WorkflowState = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AcceptedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AcceptedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionOpinion = table.Column<string>(type: "TEXT", nullable: true),
                    ConcludedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RefusalReason = table.Column<string>(type: "TEXT", nullable: true),
                    SupplementItems = table.Column<string>(type: "TEXT", nullable: false),
                    SupplementRequestedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SpecialProcedures = table.Column<string>(type: "TEXT", nullable: false),
                    Extensions = table.Column<string>(type: "TEXT", nullable: false),
                    FeeCharged = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: true),
                    CertificateNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CertificateIssuedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DeliveredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DeliveryMethod = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Archive = table.Column<string>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Applicant_Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Applicant_IdNumber = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    Applicant_IdType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Applicant_LegalRepresentative = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Applicant_Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Applicant_Phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Legal_DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Legal_LimitDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Legal_RunningSince = table.Column<long>(type: "INTEGER", nullable: true),
                    Legal_UsedDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Legal_WarnAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Legal_Warning_DaysLeft = table.Column<int>(type: "INTEGER", nullable: true),
                    Legal_Warning_PercentUsed = table.Column<int>(type: "INTEGER", nullable: true),
                    Promised_DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Promised_LimitDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Promised_RunningSince = table.Column<long>(type: "INTEGER", nullable: true),
                    Promised_UsedDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Promised_WarnAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Promised_Warning_DaysLeft = table.Column<int>(type: "INTEGER", nullable: true),
                    Promised_Warning_PercentUsed = table.Column<int>(type: "INTEGER", nullable: true),
                    Review_DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Review_LimitDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Review_RunningSince = table.Column<long>(type: "INTEGER", nullable: true),
                    Review_UsedDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Review_WarnAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Review_Warning_DaysLeft = table.Column<int>(type: "INTEGER", nullable: true),
                    Review_Warning_PercentUsed = table.Column<int>(type: "INTEGER", nullable: true),
                    Warning_DaysLeft = table.Column<int>(type: "INTEGER", nullable: true),
                    Warning_PercentUsed = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Cases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IdempotencyRecords",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyRecords", x => new { x.UserId, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "JournalHeads",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    LastHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JournalHeads", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "StoredFiles",
                columns: table => new
                {
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    StoredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StoredFiles", x => x.Sha256);
                });

            migrationBuilder.CreateTable(
                name: "WorkflowVersions",
                columns: table => new
                {
                    WorkflowId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    RegisteredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkflowVersions", x => new { x.WorkflowId, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "CaseSteps",
                columns: table => new
                {
                    WorkItemId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    StepId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BranchId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Department = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    EntryCount = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AssigneeId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    AssigneeName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Opinion = table.Column<string>(type: "TEXT", nullable: true),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    UsedDays = table.Column<int>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Deadline_DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Deadline_LimitDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Deadline_RunningSince = table.Column<long>(type: "INTEGER", nullable: true),
                    Deadline_UsedDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Deadline_WarnAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Deadline_Warning_DaysLeft = table.Column<int>(type: "INTEGER", nullable: true),
                    Deadline_Warning_PercentUsed = table.Column<int>(type: "INTEGER", nullable: true)
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
