"""Word lists for fictitious hospitals, departments and people."""

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华玉兰萍建红鹏辉玲晨宇欣怡浩然子涵梓萱博文佳琪思远雨婷俊杰嘉豪晓东海燕春梅志强立新国庆"

CITY_DISTRICTS = "和平河东河西南开河北红桥东丽西青津南北辰武清宝坻滨海宁河静海蓟州"

# (name, category) per department; hospitals pick from these in order, numbering repeats.
DEPARTMENTS = [
    ("心血管内科", "clinical"),
    ("呼吸与危重症医学科", "clinical"),
    ("消化内科", "clinical"),
    ("神经内科", "clinical"),
    ("肾内科", "clinical"),
    ("内分泌科", "clinical"),
    ("血液科", "clinical"),
    ("肿瘤科", "clinical"),
    ("普通外科", "clinical"),
    ("骨科", "clinical"),
    ("神经外科", "clinical"),
    ("心胸外科", "clinical"),
    ("泌尿外科", "clinical"),
    ("妇产科", "clinical"),
    ("儿科", "clinical"),
    ("急诊科", "clinical"),
    ("重症医学科", "clinical"),
    ("眼科", "clinical"),
    ("耳鼻咽喉科", "clinical"),
    ("口腔科", "clinical"),
    ("皮肤科", "clinical"),
    ("中医科", "clinical"),
    ("康复医学科", "clinical"),
    ("麻醉科", "clinical"),
    ("感染性疾病科", "clinical"),
    ("医学影像科", "medical_technical"),
    ("检验科", "medical_technical"),
    ("病理科", "medical_technical"),
    ("药剂科", "medical_technical"),
    ("超声科", "medical_technical"),
    ("核医学科", "medical_technical"),
    ("输血科", "medical_technical"),
    ("护理部", "nursing"),
    ("门诊护理", "nursing"),
    ("病房护理", "nursing"),
    ("党委办公室", "administrative"),
    ("院长办公室", "administrative"),
    ("医务处", "administrative"),
    ("人事处", "administrative"),
    ("财务处", "administrative"),
    ("信息中心", "administrative"),
    ("总务处", "logistics"),
    ("设备处", "logistics"),
    ("保卫处", "logistics"),
]

TITLES = {
    "clinical": ["主任医师", "副主任医师", "主治医师", "住院医师"],
    "medical_technical": ["主任技师", "副主任技师", "主管技师", "技师"],
    "nursing": ["主任护师", "副主任护师", "主管护师", "护师"],
    "administrative": ["研究员", "副研究员", "助理研究员", ""],
    "logistics": ["高级工程师", "工程师", "助理工程师", ""],
    "": ["", "主任医师", "副主任医师", "主管护师"],
}

TASK_AREAS = ["政治建设", "思想建设", "组织建设", "作风建设", "纪律建设"]
TASK_VERBS = ["落实", "推进", "开展", "完善", "组织"]
TASK_OBJECTS = [
    "党委领导下的院长负责制议事规则修订",
    "支部书记“双带头人”培育",
    "党员教育培训计划",
    "“三会一课”制度执行情况检查",
    "党风廉政建设责任制考核",
    "意识形态工作专题研究",
    "发展党员质量提升",
    "主题党日活动品牌建设",
    "党务干部轮训",
    "医德医风专项整治",
]

MATTERS = {
    "major_decision": ["医院年度发展规划", "绩效分配方案调整", "医疗质量改进方案", "学科建设规划"],
    "key_appointment": ["中层干部任免", "科室主任聘任", "护士长调整", "职能部门负责人轮岗"],
    "major_project": ["门诊楼改造工程", "信息化平台建设", "医联体合作项目", "新院区建设"],
    "large_fund": ["大型医疗设备采购", "信息系统采购", "年度预算调整", "基建项目资金使用"],
}
