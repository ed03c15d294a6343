using System.Globalization;
using System.Text;

namespace ApprovalSystem.Simulation;

/// <summary>A person or enterprise the simulated county files for.</summary>
public sealed record Person(string Name, bool Enterprise, string IdNumber, string Phone, string Address, string? LegalRepresentative);

/// <summary>
/// Applicants with every kind of name: common and compound surnames, long names, rare characters (䶮, 堃, 喆, and
/// 𠈌 outside the Basic Multilingual Plane), minority names with the middle dot; valid resident ID numbers
/// (GB 11643) and unified social credit codes (GB 32100) computed here, independently of the app's validators.
/// </summary>
public static class People
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"];
    private static readonly string[] CompoundSurnames = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐"];
    private static readonly string[] Given = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英"];

    /// <summary>Rare characters: 䶮 (Extension A), 堃 and 喆 (outside GB 2312), 𠈌 (Extension B, a surrogate pair).</summary>
    public static readonly string[] Rare = ["䶮", "堃", "喆", "𠈌", "昇", "镕", "玥", "珺"];

    /// <summary>Whether a name holds one of <see cref="Rare"/> or any character outside the BMP.</summary>
    public static bool HasRareCharacter(string name) =>
        Rare.Any(r => name.Contains(r, StringComparison.Ordinal)) || name.Any(char.IsSurrogate);

    private static readonly string[] Minority = ["阿不都热合曼·买买提", "古丽娜尔·吐尔逊", "扎西·多吉", "阿依古丽·艾买提", "买买提·艾力", "热依拉·阿不来提", "次仁·卓玛"];
    private static readonly string[] Places = ["城关镇人民路", "溪口镇上溪村", "石门乡茶园路", "新华街道解放路", "临江镇滨江路", "云岭乡山背村"];
    private static readonly string[] FirmWords = ["绿源", "山水", "溪谷", "云岭", "䶮丰", "喆诚", "堃泰", "恒昌", "瑞丰", "兴隆"];
    private static readonly string[] FirmKinds = ["食品有限公司", "茶业有限公司", "建筑工程有限公司", "商贸有限责任公司", "农业专业合作社", "餐饮店", "便利店"];
    private const string CreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    public static Person Next(Random random, bool enterprise)
    {
        var address = $"云溪县{Places[random.Next(Places.Length)]}{random.Next(1, 300)}号";
        if (enterprise)
        {
            var name = $"云溪县{FirmWords[random.Next(FirmWords.Length)]}{FirmKinds[random.Next(FirmKinds.Length)]}";
            return new Person(name, true, CreditCode(random), Mobile(random), address, PersonName(random));
        }

        return new Person(PersonName(random), false, ResidentId(random), Mobile(random), address, null);
    }

    /// <summary>One name in ten is a minority name with the middle dot, one in eight has a compound surname, one in six a rare character.</summary>
    public static string PersonName(Random random)
    {
        var roll = random.Next(100);
        if (roll < 10)
        {
            return Minority[random.Next(Minority.Length)];
        }

        var surname = roll < 22 ? CompoundSurnames[random.Next(CompoundSurnames.Length)] : Surnames[random.Next(Surnames.Length)];
        var given = new StringBuilder(Given[random.Next(Given.Length)]);
        if (roll >= 22 && roll < 39)
        {
            given.Append(Rare[random.Next(Rare.Length)]);
        }
        else if (roll >= 95)
        {
            given.Append(Given[random.Next(Given.Length)]).Append(Given[random.Next(Given.Length)]); // a long name
        }

        return surname + given;
    }

    /// <summary>An 18-character resident ID number of Yunxi county (330799), born 1940–2005, with its MOD 11-2 check character.</summary>
    public static string ResidentId(Random random)
    {
        var birth = new DateOnly(1940, 1, 1).AddDays(random.Next(0, 365 * 65));
        var body = $"330799{birth:yyyyMMdd}{random.Next(0, 1000):000}";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (body[i] - '0') * weights[i];
        }

        return body + "10X98765432"[sum % 11];
    }

    /// <summary>An enterprise's unified social credit code (91 + region 330799 + 9 characters) with its MOD 31 check character.</summary>
    public static string CreditCode(Random random)
    {
        var body = new StringBuilder("91330799");
        for (var i = 0; i < 9; i++)
        {
            body.Append(CreditAlphabet[random.Next(CreditAlphabet.Length)]);
        }

        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += CreditAlphabet.IndexOf(body[i], StringComparison.Ordinal) * weights[i];
        }

        var check = 31 - (sum % 31);
        return body.Append(CreditAlphabet[check == 31 ? 0 : check]).ToString();
    }

    public static string Mobile(Random random) => "1" + "35789"[random.Next(5)] + random.Next(0, 1_000_000_000).ToString("000000000", CultureInfo.InvariantCulture);
}
