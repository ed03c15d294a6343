using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ApprovalSystem.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DepartmentCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The cases each department has touched, counted once (decision 0021); from now on the acts keep the count.
            migrationBuilder.Sql("INSERT INTO \"RowCounts\" (\"Scope\", \"Bucket\", \"Delta\") SELECT 'case.department', \"Department\", COUNT(*) FROM (SELECT \"LeadDepartment\" AS \"Department\", \"Id\" AS \"CaseId\" FROM \"Cases\" UNION SELECT \"Department\", \"CaseId\" FROM \"CaseSteps\") touched WHERE \"Department\" <> '' GROUP BY \"Department\";");

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM \"RowCounts\" WHERE \"Scope\" = 'case.department';");

        }
    }
}
