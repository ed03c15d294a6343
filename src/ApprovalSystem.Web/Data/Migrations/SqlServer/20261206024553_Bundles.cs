using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Bundles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BundleCases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Number = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    QueryCode = table.Column<string>(type: "nvarchar(6)", maxLength: 6, nullable: true),
                    BundleCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    BundleName = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    LeadDepartment = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Definition = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Channel = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    State = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    Applicant = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    OwnerUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    AgentUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    AgentName = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: true),
                    StationCode = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    CreatedBy = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    Answers = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    FormData = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Materials = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Members = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Deadline = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    AcceptedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    AcceptedByUserId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    AcceptedBy = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: true),
                    AcceptedByDepartment = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    ConcludedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Reason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    SupplementItems = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Notices = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BundleCases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "BundleJournal",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    BundleCaseId = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ActorId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    ActorName = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    Role = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Action = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    FromState = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    ToState = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    Opinion = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    Data = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BundleJournal", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "BundleMemberLinks",
                columns: table => new
                {
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    BundleCaseId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BundleMemberLinks", x => x.CaseId);
                });

            migrationBuilder.CreateTable(
                name: "Bundles",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Code = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Department = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    IsPublished = table.Column<bool>(type: "bit", nullable: false),
                    Definition = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Bundles", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BundleCases_Number",
                table: "BundleCases",
                column: "Number",
                unique: true,
                filter: "[Number] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_BundleCases_OwnerUserId",
                table: "BundleCases",
                column: "OwnerUserId");

            migrationBuilder.CreateIndex(
                name: "IX_BundleCases_State_AcceptedAt",
                table: "BundleCases",
                columns: new[] { "State", "AcceptedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BundleCases_StationCode",
                table: "BundleCases",
                column: "StationCode");

            migrationBuilder.CreateIndex(
                name: "IX_BundleJournal_BundleCaseId_At",
                table: "BundleJournal",
                columns: new[] { "BundleCaseId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_BundleMemberLinks_BundleCaseId",
                table: "BundleMemberLinks",
                column: "BundleCaseId");

            migrationBuilder.CreateIndex(
                name: "IX_Bundles_Code",
                table: "Bundles",
                column: "Code",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BundleCases");

            migrationBuilder.DropTable(
                name: "BundleJournal");

            migrationBuilder.DropTable(
                name: "BundleMemberLinks");

            migrationBuilder.DropTable(
                name: "Bundles");
        }
    }
}
